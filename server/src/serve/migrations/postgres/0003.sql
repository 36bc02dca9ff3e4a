-- 3: token roles. Tokens made before roles existed become editors (least privilege).
ALTER TABLE editor_tokens ADD COLUMN role TEXT NOT NULL DEFAULT 'editor';
