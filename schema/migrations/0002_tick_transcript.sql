CREATE TABLE "persona_transcript" (
	"tick_id" text NOT NULL,
	"round" integer NOT NULL,
	"part" text NOT NULL,
	"part_key" text DEFAULT '' NOT NULL,
	"content" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "persona_transcript_tick_id_round_part_part_key_pk" PRIMARY KEY("tick_id","round","part","part_key")
);
--> statement-breakpoint
ALTER TABLE "persona_ticks" ADD COLUMN "rating_error" text;--> statement-breakpoint
ALTER TABLE "persona_ticks" ADD COLUMN "failure" text;--> statement-breakpoint
ALTER TABLE "persona_transcript" ADD CONSTRAINT "persona_transcript_tick_id_persona_ticks_id_fk" FOREIGN KEY ("tick_id") REFERENCES "public"."persona_ticks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "persona_transcript_tick_idx" ON "persona_transcript" USING btree ("tick_id");