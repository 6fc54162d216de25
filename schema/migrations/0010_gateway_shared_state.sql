-- UNLOGGED is written here by hand (drizzle-kit cannot express it; it diffs snapshots, not this file):
-- the limit counters are rebuilt by traffic, so a crash that empties them only relaxes a limit once.
CREATE UNLOGGED TABLE "gateway_login_failures" (
	"key" text PRIMARY KEY NOT NULL,
	"failures" timestamp with time zone[] NOT NULL,
	"last_failure_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE UNLOGGED TABLE "gateway_rate_windows" (
	"key" text PRIMARY KEY NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"hits" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mcp_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"subject" text NOT NULL,
	"protocol_version" text NOT NULL,
	"client_capabilities" jsonb NOT NULL,
	"client_info" jsonb NOT NULL,
	"tier" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "mcp_sessions" ADD CONSTRAINT "mcp_sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "gateway_login_failures_last_idx" ON "gateway_login_failures" USING btree ("last_failure_at");--> statement-breakpoint
CREATE INDEX "gateway_rate_windows_start_idx" ON "gateway_rate_windows" USING btree ("window_start");--> statement-breakpoint
CREATE INDEX "mcp_sessions_user_idx" ON "mcp_sessions" USING btree ("user_id","last_seen_at");