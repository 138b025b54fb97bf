-- Activated rows not updated for a long time: one pass over the rows.
SELECT id FROM monitoring.trailing_stop_state WHERE is_activated AND last_update_time < now() - interval '6 hours' AND false;
