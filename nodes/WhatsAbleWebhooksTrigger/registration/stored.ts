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

/*
 * The production record this process's publish made, by URL: null while the publish is still
 * registering (checkExists ran, no record yet). n8n saves the publish's static data only when
 * checkExists/create have returned, and saves what a webhook request that starts no execution
 * wrote (a flush, a duplicate, a filtered delivery) as the whole static-data column, from the
 * copy it loaded when the request came in, which may be long before (a cold expression isolate
 * alone takes a while). A copy loaded before the publish's save lacks the record: saving it
 * erases the record and its sealed secret, and after the next restart no delivery can be
 * verified (measured in n8n 2.41.1). After a restart the process knows nothing and trusts the copy.
 */
const publishedRecords = new Map<string, number | null>();

function productionUrl(
	ctx: Pick<IHookFunctions | IWebhookFunctions, 'getMode' | 'getNodeWebhookUrl'>,
): string | undefined {
	return kindOf(ctx) === 'production' ? ctx.getNodeWebhookUrl('default') : undefined;
}

/** A publish of this production trigger is registering: until it has a record, copies are not written. */
export function markPublishing(ctx: IHookFunctions): void {
	const url = productionUrl(ctx);
	if (url) publishedRecords.set(url, null);
}

/** The publish is done: its record (if any) is the one every written copy must hold. */
export function markPublished(ctx: IHookFunctions): void {
	const url = productionUrl(ctx);
	if (url) publishedRecords.set(url, readRegistration(ctx)?.id ?? null);
}

/** Unpublished: nothing to protect. */
export function markUnpublished(ctx: IHookFunctions): void {
	const url = productionUrl(ctx);
	if (url) publishedRecords.delete(url);
}

/**
 * Whether webhook() may write to the static data n8n loaded for this request: only to a copy that
 * holds a registration (one loaded while ANY process's publish registers lacks it), and, when this
 * process published, exactly the record it made. Asked at the write, after the request's awaits:
 * a publish may have marked itself meanwhile.
 */
export function mayWriteStaticData(ctx: IWebhookFunctions): boolean {
	const stored = readRegistration(ctx);
	if (!stored) return false;
	const url = productionUrl(ctx);
	if (!url || !publishedRecords.has(url)) return true;
	const id = publishedRecords.get(url);
	return id !== null && stored.id === id;
}

/** Forgets the publishes this process made, as a restart does. */
export function forgetPublishing(): void {
	publishedRecords.clear();
}
