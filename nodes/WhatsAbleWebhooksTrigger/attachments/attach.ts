import type { INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';

import type { ConversationItem } from '../payload/output';
import type { TriggerSettings } from '../settings';
import { AttachmentBudget, DELIVERY_ATTACHMENT_FACTOR } from './budget';
import { ATTACHMENT_DEADLINE_MS, downloadAttachment } from './download';

/**
 * With Download Attachment on (Message output), adds each item's media as binary data, or says
 * in `attachmentError` why not; one budget and one deadline for the whole delivery.
 */
export async function attachBinaries(
	ctx: IWebhookFunctions,
	items: ConversationItem[],
	out: INodeExecutionData[],
	settings: TriggerSettings,
): Promise<void> {
	if (!settings.downloadAttachment || settings.output !== 'message') return;
	const perFile = settings.maxAttachmentBytes;
	const budget = new AttachmentBudget(
		perFile * DELIVERY_ATTACHMENT_FACTOR,
		Date.now() + ATTACHMENT_DEADLINE_MS,
	);
	const budgetName = `what is left of this delivery's ${budget.totalBytes} byte budget for all its attachments`;
	await Promise.all(
		items.map(async (item, i) => {
			const url = item.message.mediaUrl;
			if (!url) return;
			const result = await budget.run(perFile, async (grant) => {
				const download = await downloadAttachment(ctx, url, {
					type: item.message.type,
					maxBytes: grant.maxBytes,
					deadlineMs: grant.deadlineMs,
					limitName: grant.limitedByBudget ? budgetName : undefined,
					sha256: item.message.sha256,
				});
				return { result: download, usedBytes: download.ok ? download.bytes : 0 };
			});
			if (result === 'over-budget') {
				out[i].json.attachmentError =
					`not downloaded: this delivery's attachments already take its ${budget.totalBytes} byte budget`;
			} else if (result === 'past-deadline') {
				out[i].json.attachmentError =
					`not downloaded: this delivery's attachments did not finish within ${ATTACHMENT_DEADLINE_MS / 1000} seconds`;
			} else if (result.ok) {
				out[i].binary = { [settings.binaryProperty]: result.binary };
			} else {
				out[i].json.attachmentError = result.error;
			}
		}),
	);
}
