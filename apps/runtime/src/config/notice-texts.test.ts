import { describe, expect, it } from 'vitest';
import { createNoticeTexts } from './notice-texts.js';
import { runtimeConfigSchema } from './runtime-config.js';

const config = runtimeConfigSchema.parse({
  routing: { defaultTeam: { team: '1' } },
  notices: { agentClosed: 'Closed (global).', returnedToBot: 'Bot again (global).' },
  locales: {
    de: { agentClosed: 'Beendet (global).', agentJoined: '{agent} ist da.' },
    'de-CH': { agentJoined: '{agent} isch da.' },
  },
  channels: {
    web: {
      notices: { returnedToBot: 'Bot again (web).' },
      locales: { de: { agentClosed: 'Beendet (web).' } },
    },
    sms: {},
  },
});

describe('notice texts by channel and locale', () => {
  const texts = createNoticeTexts(config);

  it('layers global, channel, language and exact locale texts', () => {
    expect(texts({ channelId: 'sms' })).toEqual({
      agentClosed: 'Closed (global).',
      returnedToBot: 'Bot again (global).',
    });
    expect(texts({ channelId: 'web' })).toMatchObject({ returnedToBot: 'Bot again (web).' });
    expect(texts({ channelId: 'web', locale: 'de' })).toMatchObject({
      agentClosed: 'Beendet (web).',
      agentJoined: '{agent} ist da.',
      returnedToBot: 'Bot again (web).',
    });
    expect(texts({ channelId: 'sms', locale: 'de_ch' })).toMatchObject({
      agentClosed: 'Beendet (global).',
      agentJoined: '{agent} isch da.',
    });
    expect(texts({ channelId: 'sms', locale: 'fr' })).toEqual(texts({ channelId: 'sms' }));
  });

  it('refuses business hours for a team routing does not know', () => {
    const result = runtimeConfigSchema.safeParse({
      routing: { defaultTeam: { team: '1' } },
      businessHours: { timezone: 'UTC', teams: { '7': { mon: '09:00-17:00' } } },
    });
    expect(result.error?.issues).toEqual([
      expect.objectContaining({
        path: ['businessHours', 'teams', '7'],
        message: 'no routing entry has team 7 (known: 1)',
      }),
    ]);
  });

  it('refuses a notice code that does not exist, naming it', () => {
    const result = runtimeConfigSchema.safeParse({
      routing: { defaultTeam: { team: '1' } },
      channels: { web: { notices: { handoffAcepted: 'typo' } } },
    });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain('handoffAcepted');
  });
});
