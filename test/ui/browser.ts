/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package: drives a system Chromium */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/* The browser side of the UI test: Debian's Chromium (or WHATSABLE_CHROMIUM), screenshots. */
export const CHROMIUM_ENV = 'WHATSABLE_CHROMIUM';
export const SCREENSHOT_DIR = path.resolve(__dirname, '../../test-output/ui');

const ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** A page that reaches only the local n8n: the editor's calls to the internet fail fast. */
export async function openBrowser(): Promise<{ browser: Browser; page: Page }> {
	const browser = await chromium.launch({
		executablePath: process.env[CHROMIUM_ENV] || '/usr/bin/chromium',
		args: ARGS,
	});
	const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
	// A shared 2-core machine loads the editor's bundle slowly.
	page.setDefaultTimeout(180_000);
	await page.route(
		(url) => !['127.0.0.1', 'localhost'].includes(url.hostname),
		(route) => route.abort(),
	);
	mkdirSync(SCREENSHOT_DIR, { recursive: true });
	return { browser, page };
}

export async function screenshot(page: Page, name: string): Promise<void> {
	await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}

/** Waits until `read` returns a value, polling; fails with `what` after `timeoutMs`. */
export async function eventually<T>(
	what: string,
	read: () => T | undefined | Promise<T | undefined>,
	timeoutMs = 120_000,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await read();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}
