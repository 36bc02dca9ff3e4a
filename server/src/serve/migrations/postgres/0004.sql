-- 4: uploaded media (see media.rs), named by the SHA-256 of their bytes.
CREATE TABLE media (
    hash         TEXT PRIMARY KEY,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    bytes        BYTEA NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
-- Stored uncompressed: a range read (video seeking) fetches only the chunks it needs.
ALTER TABLE media ALTER COLUMN bytes SET STORAGE EXTERNAL;
