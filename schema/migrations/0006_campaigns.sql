CREATE TYPE "public"."campaign_status" AS ENUM('running', 'completed', 'failed', 'cancelled');--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" text PRIMARY KEY NOT NULL,
	"label" text NOT NULL,
	"provider" text NOT NULL,
	"model" text NOT NULL,
	"catalog_hash" text NOT NULL,
	"product_fingerprint" jsonb NOT NULL,
	"prompt_version" text NOT NULL,
	"code_version" text NOT NULL,
	"trials" integer NOT NULL,
	"seed_base" text NOT NULL,
	"personas" integer NOT NULL,
	"status" "campaign_status" DEFAULT 'running' NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	"summary" jsonb
);
--> statement-breakpoint
CREATE INDEX "campaigns_label_idx" ON "campaigns" USING btree ("label","started_at");--> statement-breakpoint
ALTER TABLE "persona_ticks" ADD COLUMN "campaign_id" text;--> statement-breakpoint
ALTER TABLE "persona_ticks" ADD COLUMN "trial" integer;--> statement-breakpoint
ALTER TABLE "persona_ticks" ADD COLUMN "trial_seed" text;--> statement-breakpoint
ALTER TABLE "persona_ticks" ADD CONSTRAINT "persona_ticks_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "persona_ticks_campaign_idx" ON "persona_ticks" USING btree ("campaign_id","persona_id","trial");
