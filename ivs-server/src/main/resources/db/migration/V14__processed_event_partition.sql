-- The partition in which an event's effect lies, so that a partition clean-up forgets the event
-- ids whose effects it deletes (docs/api-notes.md, "Clean-up and event ids"). Rows written
-- before this column existed stay null: only a full clean-up or retention removes them. No
-- index: the clean-up is a rare operator call and reads the environment's rows through the
-- primary key, while every write would pay for another index.
alter table processed_event add column partition_id text;
