import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { crc32, deflateSync } from 'node:zlib';
import { chatwootSettingsFor, startFakeChatwoot } from '@handoff/chatwoot/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, readmeScreenshots, screenshotDirectory } from '../support/chromium.js';
import { startRuntime, testToken } from '../support/runtime-test-kit.js';

let browser: Browser;
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function openPage(url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  cleanups.push(() => context.close());
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  cleanups.push(async () => expect(errors, 'script errors on the page').toEqual([]));
  await page.goto(url);
  return page;
}

async function screenshot(page: Page, name: string) {
  mkdirSync(screenshotDirectory, { recursive: true });
  const path = `${screenshotDirectory}${name}.png`;
  await page.screenshot({ path });
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    mkdirSync(readmeScreenshots, { recursive: true });
    copyFileSync(path, `${readmeScreenshots}${name}.png`);
  }
}

/** Types into the chat's message box and sends with the Enter key, as a keyboard user would. */
async function say(chat: Page, text: string) {
  const box = chat.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
  await chat.getByRole('log', { name: 'Messages' }).getByText(text, { exact: true }).waitFor();
}

/** A small solid-colour PNG (what a user might photograph), made here so the test needs no file. */
function solidPng(width: number, height: number, [red, green, blue]: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const checksum = Buffer.alloc(4);
    checksum.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, checksum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([
    Buffer.from([0]),
    Buffer.from(Array.from({ length: width }, () => [red, green, blue]).flat()),
  ]);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe-core (WCAG 2.1 A and AA rules) on the page as it is; returns the violations found. */
async function accessibilityViolations(page: Page) {
  // Evaluated through the debugging protocol: the page's own policy forbids inline scripts.
  await page.evaluate(axeSource);
  // A string, run in the page (whose globals this file's types do not know).
  const violations = (await page.evaluate(`(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((violation) => ({
      rule: violation.id,
      impact: violation.impact,
      where: violation.nodes.map((node) => node.target.join(' ')),
    }));
  })()`)) as Array<{ rule: string; impact: string; where: string[] }>;
  return violations;
}

const waitForText = (page: Page, text: string | RegExp) =>
  page.getByText(text).first().waitFor({ timeout: 10_000 });

describe('try-it pages in a browser', () => {
  it('shows the whole loop: bot, handoff to the routed team, agent reply with files, resolve, bot again', async () => {
    const started = await startRuntime();
    cleanups.push(started.close);
    const chat = await openPage(`${started.url}/chat#token=${testToken}`);
    await chat.getByRole('textbox', { name: 'Message' }).waitFor();
    expect(chat.url()).not.toContain('token=');
    await chat.getByText('Who you are').click();
    await chat.getByLabel('Name (shown to agents)').fill('Alice');
    await chat.getByText('Who you are').click();

    await say(chat, 'I want a refund');
    await waitForText(chat, 'I can help with a refund. What is the order number?');
    await say(chat, 'agent');
    await waitForText(chat, 'Connecting you with Billing. A person will answer here shortly.');
    expect(await chat.evaluate('document.activeElement?.id')).toBe('message-input');
    await chat.getByRole('button', { name: 'Back to the bot' }).waitFor();

    const agentConsole = await openPage(`${started.url}/console#token=${testToken}`);
    const billing = agentConsole.getByRole('region', { name: /^Billing/ });
    const conversation = billing.getByRole('button', { name: /Alice/ });
    await conversation.waitFor({ timeout: 10_000 });
    await conversation.click();
    const transcript = agentConsole.getByRole('log', { name: 'Transcript' });
    await transcript.getByText('I want a refund', { exact: true }).waitFor();
    await transcript.getByText('I can help with a refund. What is the order number?').waitFor();
    await transcript.getByText(/Matched skill: demo\.shop\.Refund/).waitFor();
    await transcript.getByText(/User: Alice \(id visitor-/).waitFor();
    await agentConsole.getByText('Note from the bot (private)').first().waitFor();
    await agentConsole.getByRole('definition').filter({ hasText: 'bot-handoff' }).waitFor();

    // The agent types (the user sees it), then replies with a file.
    const reply = agentConsole.getByRole('textbox', { name: 'Reply to the user, or write a private note' });
    await reply.fill('Hi, I am Anna from Billing.');
    await waitForText(chat, 'Anna is typing…');
    await agentConsole.getByLabel('Attach files').setInputFiles({
      name: 'return-label.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.7 return label'),
    });
    await agentConsole.getByRole('button', { name: 'Send reply' }).click();
    await waitForText(chat, 'Hi, I am Anna from Billing.');
    await chat.getByRole('link', { name: /return-label\.pdf/ }).waitFor();
    await waitForText(chat, 'You are with Billing.');

    // The user answers with a picture; the agent sees it in the transcript.
    await chat.getByLabel('Attach files').setInputFiles({
      name: 'receipt.png',
      mimeType: 'image/png',
      buffer: solidPng(160, 90, [46, 125, 200]),
    });
    await say(chat, 'Here is my receipt, order 1043');
    await transcript.getByText('Here is my receipt, order 1043').waitFor({ timeout: 10_000 });
    await transcript.getByRole('link', { name: /receipt\.png/ }).waitFor();

    await screenshot(chat, 'chat');
    await screenshot(agentConsole, 'console');
    expect(await accessibilityViolations(chat)).toEqual([]);
    expect(await accessibilityViolations(agentConsole)).toEqual([]);

    await agentConsole.getByRole('button', { name: 'Resolve' }).click();
    await waitForText(chat, 'The agent closed the conversation. You are talking to the bot again.');
    await say(chat, 'thanks');
    await waitForText(chat, /Welcome back, I am the bot again/);
    await waitForText(chat, 'You are talking to the bot.');
    expect(await chat.getByRole('button', { name: 'Back to the bot' }).isVisible()).toBe(false);
  });

  it('asks for the token when the address has none, and keeps the history across a reload', async () => {
    const started = await startRuntime();
    cleanups.push(started.close);
    const chat = await openPage(`${started.url}/chat`);
    const token = chat.getByLabel('Paste the channel API token the runtime printed');
    await token.fill(testToken);
    await token.press('Enter');
    await say(chat, 'hello');
    await waitForText(chat, /I can check an order status/);
    await chat.reload();
    await chat.getByRole('log', { name: 'Messages' }).getByText('hello', { exact: true }).waitFor();

    // On a phone: nothing wider than the screen, and the message box still reachable.
    await chat.setViewportSize({ width: 360, height: 740 });
    expect(await chat.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await chat.getByRole('textbox', { name: 'Message' }).focus();
    await say(chat, 'still here');
    await screenshot(chat, 'chat-phone');
  });

  it('works as the chat of a runtime handing off to Chatwoot, whose agents answer in Chatwoot', async () => {
    const fake = await startFakeChatwoot();
    cleanups.push(() => fake.close());
    const started = await startRuntime({
      support: {
        type: 'chatwoot',
        name: 'chatwoot',
        chatwoot: { ...chatwootSettingsFor(fake), requestTimeoutMs: 2_000 },
      },
    });
    cleanups.push(started.close);
    fake.setInbox({ webhookUrl: `${started.url}/v1/support/chatwoot/webhook` });
    const chat = await openPage(`${started.url}/chat#token=${testToken}`);
    await say(chat, 'I want a refund');
    await say(chat, 'agent');
    await waitForText(chat, 'Connecting you with Billing. A person will answer here shortly.');
    const conversationId = await (async () => {
      for (let attempt = 0; attempt < 200; attempt += 1) {
        const open = fake.conversation(1);
        if (open?.status === 'open') return open.displayId;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error('the conversation was never opened in Chatwoot');
    })();
    const response = await fetch(
      `${fake.baseUrl}/api/v1/accounts/${fake.accountId}/conversations/${conversationId}/messages`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          api_access_token: fake.tokens.agent,
          'x-fake-chatwoot-harness': '1',
        },
        body: JSON.stringify({ content: 'Anna from Chatwoot here.', message_type: 'outgoing' }),
      },
    );
    expect(response.status).toBe(200);
    await waitForText(chat, 'Anna from Chatwoot here.');

    const agentConsole = await openPage(`${started.url}/console#token=${testToken}`);
    await agentConsole.getByRole('heading', { name: 'No agent console here' }).waitFor();
  });
});
