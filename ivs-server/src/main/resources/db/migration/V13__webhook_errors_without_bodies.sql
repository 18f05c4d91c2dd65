-- Webhook failures used to store the first 300 bytes of the receiver's answer after the status
-- ("HTTP 500: <body>"), which let an administrator of one environment read what an internal
-- service answered (security review of 2026-12-06). Deliveries now store the status alone; this
-- removes the bodies stored before.
update webhook_subscription
   set last_error = substring(last_error from '^(delivery \S+: HTTP \d{3})')
 where last_error ~ '^delivery \S+: HTTP \d{3}:';

update webhook_dead_letter
   set last_error = substring(last_error from '^(HTTP \d{3})')
 where last_error ~ '^HTTP \d{3}:';
