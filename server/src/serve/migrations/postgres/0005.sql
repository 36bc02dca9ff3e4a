-- 5: a disposition may name the provision of the final version that carries it (见第五条),
-- as decided and as last published.
ALTER TABLE comments ADD COLUMN final_provision TEXT;
ALTER TABLE comments ADD COLUMN published_final_provision TEXT;
