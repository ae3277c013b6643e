import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

/**
 * What the trigger remembers about the registration it made, in the node's static data.
 * Production and the editor's test listen keep separate entries so a test listen never
 * disturbs the published registration.
 */
export interface StoredRegistration {
	id: number;
	url: string;
	/** The one-time signature secret, sealed under the credential's sealing key (signingSecret.ts). */
	sealedSecret: string | null;
	signed: boolean;
	registeredAt: string;
}

export type RegistrationKind = 'production' | 'test';

type StateContext = Pick<IHookFunctions | IWebhookFunctions, 'getWorkflowStaticData' | 'getMode'>;

export function kindOf(ctx: Pick<IHookFunctions | IWebhookFunctions, 'getMode'>): RegistrationKind {
	return ctx.getMode() === 'manual' ? 'test' : 'production';
}

function registrations(ctx: StateContext): IDataObject {
	const data = ctx.getWorkflowStaticData('node');
	if (!data.registrations || typeof data.registrations !== 'object') data.registrations = {};
	return data.registrations as IDataObject;
}

function isStored(value: unknown): value is StoredRegistration {
	if (!value || typeof value !== 'object') return false;
	const v = value as Record<string, unknown>;
	return typeof v.id === 'number' && typeof v.url === 'string';
}

export function readRegistration(ctx: StateContext): StoredRegistration | null {
	const data = ctx.getWorkflowStaticData('node');
	const all = data.registrations as IDataObject | undefined;
	const entry = all?.[kindOf(ctx)];
	return isStored(entry) ? entry : null;
}

export function writeRegistration(ctx: StateContext, entry: StoredRegistration): void {
	registrations(ctx)[kindOf(ctx)] = { ...entry };
}

export function clearRegistration(ctx: StateContext): void {
	const all = registrations(ctx);
	delete all[kindOf(ctx)];
}
