import { z } from 'zod/v4';

/*
 * What each webhook operation outputs, per item. The types come from these schemas; each
 * operation file names its own (`output`), which the build turns into the `__schema__` file the
 * editor shows before a node has run.
 */

/** A webhook as the node outputs it: camelCase names, the creation time as ISO 8601. */
export const webhookOutputSchema = z.object({
	id: z.number().int(),
	url: z.string(),
	enabled: z.boolean(),
	incoming: z.boolean(),
	outgoing: z.boolean(),
	scheduleActivity: z.boolean(),
	waitingDuration: z.number().int().nonnegative(),
	signed: z.boolean(),
	createdAt: z.iso.datetime().nullable(),
	userId: z.string().nullable(),
});
export type WebhookOutput = z.output<typeof webhookOutputSchema>;

/** Plus the signature secret, present only when the API handed it out (once). */
export const webhookWithSecretOutputSchema = webhookOutputSchema.extend({
	signatureSecret: z.string().optional(),
	signatureSecretNote: z.string().optional(),
});
export type WebhookWithSecretOutput = z.output<typeof webhookWithSecretOutputSchema>;

export const deleteOutputSchema = z.object({
	id: z.number().int(),
	deleted: z.boolean(),
	alreadyGone: z.literal(true).optional(),
});
export type DeleteOutput = z.output<typeof deleteOutputSchema>;
