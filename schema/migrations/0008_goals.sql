CREATE TYPE "public"."goal_outcome" AS ENUM('achieved', 'failed', 'not-attempted', 'check-error');--> statement-breakpoint
CREATE TYPE "public"."goal_source" AS ENUM('checked', 'self-reported');--> statement-breakpoint
CREATE TABLE "persona_goals" (
	"id" text PRIMARY KEY NOT NULL,
	"tick_id" text NOT NULL,
	"persona_id" uuid NOT NULL,
	"goal_id" text NOT NULL,
	"module" text NOT NULL,
	"source" "goal_source" NOT NULL,
	"outcome" "goal_outcome" NOT NULL,
	"evidence" jsonb,
	"self_report" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "personas" ADD COLUMN "goals" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "personas" ADD COLUMN "goals_per_tick" integer;--> statement-breakpoint
ALTER TABLE "persona_goals" ADD CONSTRAINT "persona_goals_tick_id_persona_ticks_id_fk" FOREIGN KEY ("tick_id") REFERENCES "public"."persona_ticks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "persona_goals" ADD CONSTRAINT "persona_goals_persona_id_personas_id_fk" FOREIGN KEY ("persona_id") REFERENCES "public"."personas"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "persona_goals_tick_idx" ON "persona_goals" USING btree ("tick_id");--> statement-breakpoint
CREATE INDEX "persona_goals_module_idx" ON "persona_goals" USING btree ("module","created_at");