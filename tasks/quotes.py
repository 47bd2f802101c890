from newsdag.stages import quotes as stage
from tasks.caching import stage_task

quotes = stage_task(stage)
