from newsdag.stages import tokenise as stage
from tasks.caching import stage_task

tokenise = stage_task(stage)
