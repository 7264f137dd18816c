-- Development seed, applied after the migrations only when DEV_SEED is true (the default with the embedded
-- database): the CL Omega demo developer and game. Idempotent: running it again changes nothing.
INSERT INTO developers (id, name) VALUES ('01HNPHQM5SPAG43J68R3NRX4M6', 'Test Developer')
ON CONFLICT DO NOTHING;
INSERT INTO games (id, developer_id, name, description)
VALUES ('01HNPHRWS0N0AYMM5K4HN31V4W', '01HNPHQM5SPAG43J68R3NRX4M6', 'Demo Game', 'The CL Omega demo game')
ON CONFLICT DO NOTHING;
