-- Operator actions taken through the admin REST API (/api/admin/...): who did what to whom, and the outcome.
CREATE TABLE admin_audit (
  id          BIGSERIAL PRIMARY KEY,
  create_time TIMESTAMPTZ  NOT NULL DEFAULT now(),
  admin_id    INT REFERENCES account (id) ON DELETE SET NULL,
  admin_login VARCHAR(20)  NOT NULL,
  action      VARCHAR(40)  NOT NULL,
  target      VARCHAR(255),
  details     JSONB        NOT NULL DEFAULT '{}',
  status      INT          NOT NULL
);
CREATE INDEX admin_audit_time ON admin_audit (create_time DESC);
