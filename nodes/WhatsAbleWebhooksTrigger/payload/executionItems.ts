import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { TriggerSettings } from '../settings';
import { toHistoryItems } from './normalise';
import type { ConversationItem } from './output';
import { rawItemJson } from './rawItem';

/** The workflow's items for the chosen Output: one per message, per history entry, or the body. */
export function executionItems(
	items: ConversationItem[],
	settings: Pick<TriggerSettings, 'output' | 'includeRawPayload'>,
	parsed: unknown,
): INodeExecutionData[] {
	if (settings.output === 'raw') return [{ json: rawItemJson(parsed) as IDataObject }];
	if (settings.output === 'history') {
		return items.flatMap((item) =>
			toHistoryItems(item).map((h) => ({ json: h as unknown as IDataObject })),
		);
	}
	return items.map((item) => ({
		json: (settings.includeRawPayload ? { ...item, raw: parsed } : item) as unknown as IDataObject,
	}));
}
