-- Copies of encrypted fields written in plaintext before this version (issue 8, item 5). Tool
-- names are those whose ToolSpec had encryptedFields at the time: a migration is a snapshot.
-- Results of successful calls: the summary said what the result held; now it says only that it is withheld.
UPDATE "persona_actions"
SET "result_summary" = 'ok; result withheld: ' || "tool_name" || ' returns fields the product encrypts (kept only in the sealed transcript)'
WHERE "tool_name" IN ('note_create', 'note_search', 'journal_add') AND "outcome" = 'ok';
--> statement-breakpoint
-- Stored results for idempotent replays: now sealed with the user's key. Plaintext ones are dropped:
-- a key is only ever repeated by a retry of the same call, minutes later, not across an upgrade.
DELETE FROM "tool_idempotency"
WHERE "tool_name" IN ('note_create', 'note_search', 'journal_add')
  AND "result" IS NOT NULL
  AND NOT ("result" ? 'sealed');
