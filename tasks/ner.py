from newsdag.stages import ner as stage
from tasks.caching import stage_task

ner = stage_task(stage)
