// The settings page in Chromium: support turned on, routing set from the system's teams, a handoff routed by it.
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chatwootSettingsFor, startFakeChatwoot } from '@handoff/chatwoot/testing';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, readmeScreenshots, screenshotDirectory } from '../support/chromium.js';
import { startHostedRuntime } from '../support/hosted-runtime.js';
import { eventually, startRuntime, testToken } from '../support/runtime-test-kit.js';

const adminToken = 'settings-admin-token-0123456789';
const shopToken = 'settings-shop-web-token-0123456';
const teams = [
  { id: '1', name: 'Support' },
  { id: '2', name: 'Billing' },
  { id: '3', name: 'Orders' },
];

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

/** A runtime with an admin token and two chatbots on the in-process system, support off. */
async function settingsRuntime() {
  const started = await startRuntime({
    auth: {
      tokens: [{ name: 'test', token: testToken }],
      adminTokens: [{ name: 'ops', token: adminToken }],
      rateLimitPerMinute: 1_000_000,
    },
  });
  cleanups.push(started.close);
  const admin = { authorization: `Bearer ${adminToken}` };
  const create = async (body: Record<string, unknown>) => {
    const created = await started.call('POST', '/v1/admin/bots', body, admin);
    expect(created.status, created.text).toBe(201);
  };
  await create({
    id: 'shop',
    name: 'Shop',
    channels: { web: { token: shopToken } },
    support: { type: 'in-process', teams },
    supportEnabled: false,
    routing: { defaultTeam: '3' },
  });
  // Its routing names a team its system does not have.
  await create({
    id: 'travel',
    name: 'Travel',
    channels: { web: { token: 'settings-travel-web-token-01234' } },
    support: { type: 'in-process', teams },
    supportEnabled: false,
    routing: { defaultTeam: '9' },
  });
  return { ...started, admin };
}

async function openSettings(url: string, bot: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  cleanups.push(() => context.close());
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  cleanups.push(async () => expect(errors, 'script errors on the page').toEqual([]));
  await page.goto(`${url}/settings?bot=${bot}#token=${adminToken}`);
  await page.getByRole('status').filter({ hasText: `Showing` }).waitFor({ timeout: 10_000 });
  return page;
}

/** What a screen reader reads with a control: the text of the elements its aria-describedby names. */
async function description(control: Locator) {
  const ids = ((await control.getAttribute('aria-describedby')) ?? '').split(' ').filter(Boolean);
  const texts = await Promise.all(ids.map((id) => control.page().locator(`[id="${id}"]`).textContent()));
  return texts
    .map((text) => text?.trim() ?? '')
    .filter((text) => text !== '')
    .join(' ');
}

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe-core (WCAG 2.1 A and AA rules) on the page as it is; returns the violations found. */
async function accessibilityViolations(page: Page) {
  // Through the debugging protocol: the page's policy forbids inline scripts.
  await page.evaluate(axeSource);
  return (await page.evaluate(`(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((violation) => ({
      rule: violation.id,
      where: violation.nodes.map((node) => node.target.join(' ')),
    }));
  })()`)) as Array<{ rule: string; where: string[] }>;
}

describe('settings page in a browser', () => {
  it('turns support on, picks the default team, adds a team with a skill, and a handoff is routed by it', async () => {
    const { url, call, admin } = await settingsRuntime();
    const page = await openSettings(url, 'shop');
    expect(page.url()).not.toContain('token=');
    await expect
      .poll(() => page.getByRole('combobox', { name: 'Chatbot to configure' }).inputValue())
      .toBe('shop');
    expect(await page.getByRole('radio', { name: 'In-process' }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: /Support enabled/ }).isChecked()).toBe(false);

    await page.getByRole('checkbox', { name: /Support enabled/ }).check();
    await page.getByRole('button', { name: 'Save support' }).click();
    await page.getByRole('status').filter({ hasText: 'Support saved: In-process, on' }).waitFor();

    // The teams come from the system, ids beside the names.
    const defaultTeam = page.getByRole('combobox', { name: 'Default team' });
    expect(await defaultTeam.locator('option').allTextContents()).toEqual([
      'Support (id 1)',
      'Billing (id 2)',
      'Orders (id 3)',
    ]);
    expect(await defaultTeam.inputValue()).toBe('3');
    await defaultTeam.selectOption({ label: 'Support (id 1)' });

    // By keyboard: Add team, choose the team, type the skill, save.
    await page.getByRole('button', { name: 'Add team' }).focus();
    await page.keyboard.press('Enter');
    const team = page.getByRole('combobox', { name: 'Team', exact: true });
    await expect.poll(() => page.evaluate('document.activeElement?.getAttribute("data-role")')).toBe('team');
    await team.selectOption({ label: 'Billing (id 2)' });
    await page.keyboard.press('Tab');
    await page.keyboard.type('demo.shop.Refund');
    await page.getByRole('button', { name: 'Save routing' }).click();
    await page.getByRole('status').filter({ hasText: 'Routing saved' }).waitFor();

    const stored = await call('GET', '/v1/admin/bots/shop', undefined, admin);
    expect(stored.json).toMatchObject({
      supportEnabled: true,
      routing: {
        defaultTeam: { team: '1', label: 'Support' },
        teams: [{ team: '2', label: 'Billing', skills: ['demo.shop.Refund'] }],
      },
    });

    expect(await accessibilityViolations(page)).toEqual([]);
    mkdirSync(screenshotDirectory, { recursive: true });
    await page.screenshot({ path: `${screenshotDirectory}settings.png`, fullPage: true });
    if (process.env.UPDATE_SCREENSHOTS === '1') {
      copyFileSync(`${screenshotDirectory}settings.png`, `${readmeScreenshots}settings.png`);
    }

    // The demo bot's refund skill, left unfinished, goes to the team the skill was bound to.
    const channel = { authorization: `Bearer ${shopToken}` };
    const user = (id: string) => {
      const base = `/v1/bots/shop/channels/web/users/${id}`;
      return {
        say: (text: string) => call('POST', `${base}/messages`, { text }, channel),
        team: () =>
          eventually(async () => {
            const session = (await call('GET', `${base}/session`, undefined, channel)).json as {
              conversationId?: string;
              team?: { id: string };
            };
            if (session.conversationId === undefined)
              throw new Error(`no conversation: ${JSON.stringify(session)}`);
            return session.team?.id;
          }, 10_000),
      };
    };
    const alice = user('alice');
    expect((await alice.say('I want a refund')).status).toBe(200);
    expect((await alice.say('agent')).status).toBe(200);
    expect(await alice.team()).toBe('2');
    // No skill under way: the default team picked on the page.
    const bob = user('bob');
    expect((await bob.say('agent')).status).toBe(200);
    expect(await bob.team()).toBe('1');
  });

  it('shows the 400 inline: a malformed skill beside its row, an unknown team beside the default team', async () => {
    const { url } = await settingsRuntime();
    const page = await openSettings(url, 'travel');
    const defaultTeam = page.getByRole('combobox', { name: 'Default team' });
    expect(await defaultTeam.inputValue()).toBe('9');
    expect(await defaultTeam.locator('option:checked').textContent()).toBe('9 (not a team of this system)');

    await page.getByRole('button', { name: 'Add team' }).click();
    const skills = page.getByRole('textbox', { name: 'Associated skills (comma-separated)' });
    await skills.fill('refund');
    await page.getByRole('button', { name: 'Save routing' }).click();
    await page.getByRole('status').filter({ hasText: 'Routing not saved' }).waitFor();
    expect(await skills.getAttribute('aria-invalid')).toBe('true');
    const rowError = page.locator('#routing-rows .field-error');
    expect((await rowError.textContent())?.trim()).not.toBe('');
    // The message is the field's description, so a screen reader reads it with the field.
    expect(await description(skills)).toBe((await rowError.textContent())?.trim());
    expect(await page.evaluate('document.activeElement?.getAttribute("data-role")')).toBe('skills');

    await skills.fill('demo.shop.Refund');
    await page.getByRole('button', { name: 'Save routing' }).click();
    await page
      .getByText('the support system has no team 9; valid: 1 (Support), 2 (Billing), 3 (Orders)')
      .waitFor();
    expect(await defaultTeam.getAttribute('aria-invalid')).toBe('true');
    expect(await description(defaultTeam)).toContain('no team 9');
    expect(await skills.getAttribute('aria-invalid')).toBeNull();
    expect(await accessibilityViolations(page)).toEqual([]);

    // Picking a real team saves; removing the row leaves only the default.
    await defaultTeam.selectOption({ label: 'Orders (id 3)' });
    await page.getByRole('button', { name: 'Remove team row 1' }).click();
    await page.getByRole('button', { name: 'Save routing' }).click();
    await page.getByRole('status').filter({ hasText: 'Routing saved' }).waitFor();
    expect(await page.locator('#default-team-error').textContent()).toBe('');

    // Choosing another system shows its form; its secrets are password fields.
    await page.getByRole('radio', { name: 'Chatwoot' }).check();
    await page.getByRole('group', { name: 'Chatwoot configuration' }).waitFor();
    expect(await page.getByLabel('User access token (required)').getAttribute('type')).toBe('password');
    expect(await page.getByLabel('Base URL (required)').getAttribute('type')).toBe('url');
    expect(await page.getByRole('radio', { name: 'In-process' }).isChecked()).toBe(false);
  });

  it('reloads a chatbot changed elsewhere meanwhile (409), and saves on top of it', async () => {
    const { url, call, admin } = await settingsRuntime();
    const page = await openSettings(url, 'shop');
    // Someone else changes the routing through the API after the page read it.
    const elsewhere = await call(
      'PUT',
      '/v1/admin/bots/shop/routing',
      { defaultTeam: '1', teams: [{ team: '2', skills: ['demo.shop.Refund'] }] },
      admin,
    );
    expect(elsewhere.status, elsewhere.text).toBe(200);
    const defaultTeam = page.getByRole('combobox', { name: 'Default team' });
    expect(await defaultTeam.inputValue()).toBe('3');
    await defaultTeam.selectOption({ label: 'Billing (id 2)' });
    await page.getByRole('button', { name: 'Save routing' }).click();
    await page.getByRole('status').filter({ hasText: 'changed elsewhere meanwhile' }).waitFor();
    // What is stored now is shown (nothing of it overwritten), with its revision.
    expect(await defaultTeam.inputValue()).toBe('1');
    expect(
      await page.getByRole('textbox', { name: 'Associated skills (comma-separated)' }).inputValue(),
    ).toBe('demo.shop.Refund');
    expect(await page.getByRole('status').textContent()).toContain(`revision ${elsewhere.json.revision}`);
    await defaultTeam.selectOption({ label: 'Orders (id 3)' });
    await page.getByRole('button', { name: 'Save routing' }).click();
    await page.getByRole('status').filter({ hasText: 'Routing saved' }).waitFor();
    const stored = (await call('GET', '/v1/admin/bots/shop', undefined, admin)).json;
    expect(stored.routing).toMatchObject({ defaultTeam: { team: '3' }, teams: [{ team: '2' }] });
  });

  it('shows hosted Chatwoot with nothing to fill in, provisions it on saving, and names the owner without a login', async () => {
    const fake = await startFakeChatwoot();
    cleanups.push(() => fake.close());
    const started = await startHostedRuntime(fake, { adminToken });
    cleanups.push(started.close);
    const admin = { authorization: `Bearer ${adminToken}` };
    const created = await started.call(
      'POST',
      '/v1/admin/bots',
      {
        id: 'acme',
        name: 'Acme',
        organization: {
          id: 'org-acme',
          name: 'Acme',
          owners: [
            { email: 'ann@acme.example', name: 'Ann', emailVerified: true },
            { email: 'bob@acme.example', name: 'Bob', emailVerified: false },
          ],
        },
        channels: { web: { token: shopToken } },
        supportEnabled: false,
        routing: { defaultTeam: '1' },
      },
      admin,
    );
    expect(created.status, created.text).toBe(201);
    const page = await openSettings(started.url, 'acme');
    await page.getByRole('radio', { name: 'Chatwoot' }).check();
    await page.getByText('Hosted: nothing to fill in.').waitFor();
    expect(await page.getByLabel('Base URL (required)').count()).toBe(0);
    await page.getByRole('button', { name: 'Save support' }).click();
    await page.getByRole('status').filter({ hasText: 'Support saved: Chatwoot, off' }).waitFor();
    const stored = (await started.call('GET', '/v1/admin/bots/acme', undefined, admin)).json.support as {
      provisioning: { accountId: number };
    };
    await page.getByText(`Provisioned: Chatwoot account ${stored.provisioning.accountId}.`).waitFor();
    await page.getByText(/^No login for bob@acme\.example: the email address is not verified/).waitFor();
    expect(fake.account(stored.provisioning.accountId)?.members.map((member) => member.email)).toEqual([
      'ann@acme.example',
    ]);
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('keeps an untouched secret (shown as set, left out of the update) and creates a new chatbot', async () => {
    const fake = await startFakeChatwoot();
    cleanups.push(() => fake.close());
    const { url, call, admin, runtime } = await settingsRuntime();
    const settings = chatwootSettingsFor(fake);
    const created = await call(
      'POST',
      '/v1/admin/bots',
      {
        id: 'desk',
        name: 'Desk',
        channels: { web: { token: 'settings-desk-web-token-0123456' } },
        support: { type: 'chatwoot', chatwoot: settings },
        supportEnabled: false,
        routing: { defaultTeam: '1' },
      },
      admin,
    );
    expect(created.status, created.text).toBe(201);
    const page = await openSettings(url, 'desk');
    expect(await page.getByRole('radio', { name: 'Chatwoot' }).isChecked()).toBe(true);
    const userToken = page.getByLabel('User access token (required)');
    expect(await userToken.inputValue()).toBe('');
    expect(await description(userToken)).toBe('set: leave empty to keep it');
    expect(await page.getByLabel('Account id (required)').inputValue()).toBe(String(settings.accountId));
    await page.getByLabel('Inbox id (required)').fill('77');
    await page.getByRole('button', { name: 'Save support' }).click();
    await page.getByRole('status').filter({ hasText: 'Support saved: Chatwoot, off' }).waitFor();
    const kept = await runtime.chatbots.settings('desk');
    expect(kept?.settings.support).toMatchObject({
      type: 'chatwoot',
      chatwoot: { inboxId: 77, userToken: settings.userToken, agentBotToken: settings.agentBotToken },
    });
    expect(await accessibilityViolations(page)).toEqual([]);

    // A new chatbot: it starts on the in-process system with support off, and is selected.
    await page
      .getByRole('combobox', { name: 'Chatbot to configure' })
      .selectOption({ label: 'New chatbot…' });
    await page.getByLabel('Id (lower-case letters, digits and dashes)').fill('news');
    await page.getByLabel('Name', { exact: true }).fill('News');
    await page.getByLabel(/^Channel token/).fill('settings-news-web-token-0123456');
    await page.getByRole('button', { name: 'Create chatbot' }).click();
    await page.getByRole('status').filter({ hasText: 'Chatbot news created' }).waitFor();
    expect(await page.getByRole('combobox', { name: 'Chatbot to configure' }).inputValue()).toBe('news');
    expect(await page.getByRole('radio', { name: 'In-process' }).isChecked()).toBe(true);
    expect((await call('GET', '/v1/admin/bots/news', undefined, admin)).json).toMatchObject({
      name: 'News',
      supportEnabled: false,
      channels: { web: { token: { set: true } } },
    });
  });
});
