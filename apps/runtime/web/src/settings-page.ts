// The settings page: for each chatbot of the admin API, its support system and routing priority.
import { type ApiClient, ApiError, createApiClient } from './api-client.js';
import { byId, element } from './dom.js';
import {
  type SupportField,
  type SupportSystem,
  type SupportSystemDescription,
  supportSystems,
} from './support-system-fields.js';
import { askForToken, readToken } from './token.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface Team {
  id: string;
  name: string;
}
interface RoutingEntry {
  team: string;
  label?: string;
  skills: string[];
}
interface Routing {
  defaultTeam: { team: string; label?: string };
  teams: RoutingEntry[];
  askWhenNoSkill?: boolean;
}
interface ChatbotView {
  id: string;
  revision: number;
  source: 'admin' | 'configuration';
  name: string;
  bot: Json;
  channels: Json;
  support: { type: SupportSystem } & Record<string, Json>;
  supportEnabled?: boolean;
  supportOffNotice?: string;
  routing: Routing;
}

/** This page's token is an admin token, kept apart from the channel token of the other pages. */
const adminTokenKey = 'handoff.adminToken';
/** The option of the chatbot list that opens the new chatbot form (never a chatbot id). */
const newChatbotOption = '+new';
const isSetSecret = (value: Json | undefined) =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && value.set === true;

function createSettingsPage(api: ApiClient) {
  const status = byId('settings-status');
  const botSelect = byId<HTMLSelectElement>('bot-select');
  const newBotForm = byId<HTMLFormElement>('new-bot-form');
  const botSettings = byId('bot-settings');
  const supportForm = byId<HTMLFormElement>('support-form');
  const readOnlyNote = byId('support-read-only');
  const systemsBox = byId('support-systems');
  const supportEnabled = byId<HTMLInputElement>('support-enabled');
  const fieldsTitle = byId('support-fields-title');
  const fieldsBox = byId('support-fields');
  const routingForm = byId<HTMLFormElement>('routing-form');
  const defaultTeam = byId<HTMLSelectElement>('default-team');
  const defaultTeamError = byId('default-team-error');
  const rowsList = byId<HTMLOListElement>('routing-rows');
  const addTeam = byId<HTMLButtonElement>('add-team');
  const routingError = byId('routing-error');

  let current: ChatbotView | undefined;
  let teams: Team[] = [];
  let rowCount = 0;

  const say = (text: string) => {
    status.textContent = text;
  };
  const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));
  const path = (id: string, suffix = '') => `/v1/admin/bots/${encodeURIComponent(id)}${suffix}`;

  /** Shows `message` under a field: its error paragraph, aria-invalid on the controls it belongs to. */
  const markInvalid = (errorBox: HTMLElement, message: string, controls: HTMLElement[]) => {
    errorBox.textContent = errorBox.textContent === '' ? message : `${errorBox.textContent} ${message}`;
    for (const control of controls) control.setAttribute('aria-invalid', 'true');
  };
  const clearInvalid = (form: HTMLElement) => {
    for (const box of form.querySelectorAll('.field-error')) box.textContent = '';
    for (const control of form.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
  };
  const focusFirstInvalid = (form: HTMLElement) =>
    (form.querySelector('[aria-invalid="true"]') as HTMLElement | null)?.focus();

  // The chatbot list.

  const loadChatbots = async (select?: string) => {
    const systems = await api.get<{ items: Array<{ type: SupportSystem; hosted?: boolean }> }>(
      '/v1/admin/support-systems',
    );
    hostedChatwoot = systems.items.some((system) => system.type === 'chatwoot' && system.hosted === true);
    const answer = await api.get<{ items: ChatbotView[] }>('/v1/admin/bots?limit=500');
    botSelect.replaceChildren(
      ...answer.items.map((bot) =>
        element(
          'option',
          { value: bot.id },
          `${bot.name} (${bot.id})${bot.source === 'configuration' ? ', configuration file' : ''}`,
        ),
      ),
      element('option', { value: newChatbotOption }, 'New chatbot…'),
    );
    const wanted =
      answer.items.find((bot) => bot.id === select) ?? answer.items.find((bot) => bot.source === 'admin');
    botSelect.value = wanted?.id ?? newChatbotOption;
    await showSelected();
  };

  const showSelected = async () => {
    const id = botSelect.value;
    newBotForm.hidden = id !== newChatbotOption;
    botSettings.hidden = id === newChatbotOption;
    if (id === newChatbotOption) {
      current = undefined;
      return;
    }
    const url = new URL(window.location.href);
    url.searchParams.set('bot', id);
    history.replaceState(null, '', url.pathname + url.search);
    current = await api.get<ChatbotView>(path(id));
    renderSupport();
    const teamsProblem = await loadTeams();
    say(`Showing ${current.name} (${current.id}), revision ${current.revision}.${teamsProblem}`);
  };

  /**
   * After a 409 (someone changed the chatbot meanwhile): reads it again and shows what is stored
   * now, so the change can be made again on top of it. Resolves with the sentence to say.
   */
  const reloadedAfterConflict = async (what: string): Promise<string> => {
    if (current === undefined) return `${what} not saved.`;
    current = await api.get<ChatbotView>(path(current.id));
    renderSupport();
    const teamsProblem = await loadTeams();
    return `${what} not saved: the chatbot was changed elsewhere meanwhile. Showing what is stored now (revision ${current.revision}); make your change again.${teamsProblem}`;
  };

  /** Reads the system's teams and shows the routing; resolves with what went wrong ('' when nothing). */
  const loadTeams = async (): Promise<string> => {
    if (current === undefined) return '';
    let problem = '';
    try {
      teams = (await api.get<{ items: Team[] }>(path(current.id, '/support/teams'))).items;
    } catch (error) {
      teams = [];
      problem = ` The support system's teams could not be listed: ${describe(error)}`;
    }
    renderRouting();
    return problem;
  };

  // Support.

  /** Whether this runtime hosts Chatwoot: nothing to fill in, the account is provisioned on enabling. */
  let hostedChatwoot = false;
  const isHosted = (system: SupportSystemDescription) => system.system === 'chatwoot' && hostedChatwoot;

  /** What hosted Chatwoot says: nothing to fill in, and what the last provisioning did. */
  const hostedNote = () => {
    const provisioning =
      current?.support.type === 'chatwoot'
        ? (current.support.provisioning as
            | { accountId: number; refusedOwners: Array<{ email: string; reason: string }> }
            | undefined)
        : undefined;
    return [
      element(
        'p',
        { class: 'muted' },
        "Hosted: nothing to fill in. Turning support on creates the organization's Chatwoot account, logins for its owners whose email is verified, and this chatbot's inbox.",
      ),
      ...(provisioning === undefined
        ? []
        : [
            element('p', {}, `Provisioned: Chatwoot account ${provisioning.accountId}.`),
            ...provisioning.refusedOwners.map((owner) =>
              element('p', { class: 'error' }, `No login for ${owner.email}: ${owner.reason}`),
            ),
          ]),
    ];
  };

  const chosenSystem = (): SupportSystemDescription => {
    const checked = systemsBox.querySelector<HTMLInputElement>('input:checked');
    return (
      supportSystems.find((system) => system.system === checked?.value) ??
      (supportSystems[0] as SupportSystemDescription)
    );
  };

  const fieldControl = (field: SupportField, stored: Record<string, Json>) => {
    const id = `support-field-${field.name}`;
    const errorId = `${id}-error`;
    const value = stored[field.name];
    const wasSet = field.secret === true && isSetSecret(value);
    const setNoteId = `${id}-set`;
    const input = element('input', {
      id,
      name: field.name,
      type: field.type === 'checkbox' ? 'checkbox' : field.secret ? 'password' : field.type,
      autocomplete: field.secret ? 'new-password' : 'off',
      'aria-describedby': wasSet ? `${setNoteId} ${errorId}` : errorId,
      'data-secret': field.secret ? 'true' : undefined,
      required: field.required === true && !wasSet && field.type !== 'checkbox',
    });
    if (field.type === 'checkbox') input.checked = value === true;
    else if (!field.secret && value !== undefined && value !== null && typeof value !== 'object') {
      input.value = String(value);
    }
    const label = element(
      'label',
      { for: id, class: field.type === 'checkbox' ? 'inline-label' : undefined },
      field.label,
      field.required ? ' (required)' : '',
    );
    const setNote = wasSet
      ? element('span', { id: setNoteId, class: 'muted' }, 'set: leave empty to keep it')
      : undefined;
    const errorBox = element('p', { id: errorId, class: 'error field-error' });
    return field.type === 'checkbox'
      ? element('div', {}, element('div', { class: 'checkbox-row' }, input, label), errorBox)
      : element('div', {}, label, input, setNote, errorBox);
  };

  const renderFields = () => {
    const system = chosenSystem();
    fieldsTitle.textContent = `${system.label} configuration`;
    const stored =
      current?.support.type === system.system
        ? ((current.support[system.system] as Record<string, Json> | undefined) ?? {})
        : {};
    if (isHosted(system)) {
      fieldsBox.replaceChildren(...hostedNote());
      return;
    }
    fieldsBox.replaceChildren(
      ...(system.note === undefined ? [] : [element('p', { class: 'muted' }, system.note)]),
      ...system.fields.map((field) => fieldControl(field, stored)),
    );
  };

  const renderSupport = () => {
    if (current === undefined) return;
    const active = current.support.type;
    systemsBox.replaceChildren(
      ...supportSystems.map((system) => {
        const id = `support-system-${system.system}`;
        const radio = element('input', {
          type: 'radio',
          name: 'support-system',
          id,
          value: system.system,
          checked: system.system === active,
        });
        radio.addEventListener('change', renderFields);
        return element('div', {}, radio, element('label', { for: id, class: 'inline-label' }, system.label));
      }),
    );
    supportEnabled.checked = current.supportEnabled ?? true;
    renderFields();
    const readOnly = current.source === 'configuration';
    readOnlyNote.hidden = !readOnly;
    for (const form of [supportForm, routingForm]) {
      for (const control of form.querySelectorAll<HTMLInputElement>('input, select, button')) {
        control.disabled = readOnly;
      }
    }
  };

  /** The chosen system's settings: what was stored, untouched secrets left out, the form's values over it. */
  const supportSettings = () => {
    const system = chosenSystem();
    if (system.system === 'in-process') {
      return current?.support.type === 'in-process' ? current.support : { type: 'in-process' };
    }
    if (isHosted(system)) {
      // Provisioned (again) by the runtime; what it did last tells it where to look first.
      const provisioning = current?.support.type === 'chatwoot' ? current.support.provisioning : undefined;
      return { type: 'chatwoot', hosted: true, ...(provisioning === undefined ? {} : { provisioning }) };
    }
    const stored =
      current?.support.type === system.system
        ? { ...((current.support[system.system] as Record<string, Json> | undefined) ?? {}) }
        : {};
    for (const [name, value] of Object.entries(stored)) if (isSetSecret(value)) delete stored[name];
    for (const field of system.fields) {
      const input = byId<HTMLInputElement>(`support-field-${field.name}`);
      if (field.type === 'checkbox') stored[field.name] = input.checked;
      else if (input.value.trim() === '') {
        if (!field.secret) delete stored[field.name];
      } else stored[field.name] = field.type === 'number' ? Number(input.value) : input.value.trim();
    }
    return { type: system.system, [system.system]: stored };
  };

  /** The chatbot as an update takes it: what was read, with `changes` over it. */
  const updateBody = (bot: ChatbotView, changes: Record<string, unknown>) => {
    // Every setting as read (its organization, notices, ... too: a full update replaces them all),
    // without what the API answers about the chatbot itself.
    const {
      id: _id,
      revision: _revision,
      source: _source,
      createdAt: _created,
      updatedAt: _updated,
      ...settings
    } = bot as ChatbotView & { createdAt?: string; updatedAt?: string };
    return { ...settings, ...changes };
  };

  const showSupportIssues = (error: ApiError) => {
    const fields = chosenSystem().fields;
    const unplaced: string[] = [];
    for (const issue of error.issues) {
      const name =
        issue.path
          .split(/[.[\]]/)
          .filter(Boolean)
          .at(-1) ?? '';
      const field = fields.find((candidate) => candidate.name === name);
      if (field === undefined) {
        unplaced.push(`${issue.path}: ${issue.message}`);
        continue;
      }
      const input = byId(`support-field-${field.name}`);
      markInvalid(byId(`support-field-${field.name}-error`), issue.message, [input]);
    }
    return unplaced;
  };

  supportForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (current === undefined) return;
    clearInvalid(supportForm);
    const button = byId<HTMLButtonElement>('save-support');
    button.disabled = true;
    try {
      current = await api.put<ChatbotView>(
        path(current.id),
        updateBody(current, { support: supportSettings(), supportEnabled: supportEnabled.checked }),
        current.revision,
      );
      renderSupport();
      const teamsProblem = await loadTeams();
      say(
        `Support saved: ${chosenSystem().label}, ${current.supportEnabled === false ? 'off' : 'on'} (revision ${current.revision}).${teamsProblem}`,
      );
    } catch (error) {
      if (error instanceof ApiError && error.status === 409 && error.code === 'conflict') {
        say(await reloadedAfterConflict('Support'));
        return;
      }
      const unplaced = error instanceof ApiError ? showSupportIssues(error) : [];
      say(`Support not saved: ${unplaced.length > 0 ? unplaced.join('; ') : describe(error)}`);
      focusFirstInvalid(supportForm);
    } finally {
      button.disabled = current?.source === 'configuration';
    }
  });

  // Routing priority.

  const teamOptions = (selected: string) => {
    const options = teams.map((team) =>
      element('option', { value: team.id, selected: team.id === selected }, `${team.name} (id ${team.id})`),
    );
    if (selected !== '' && !teams.some((team) => team.id === selected)) {
      options.unshift(
        element('option', { value: selected, selected: true }, `${selected} (not a team of this system)`),
      );
    }
    return options;
  };

  const addRow = (entry: RoutingEntry) => {
    rowCount += 1;
    const id = `routing-row-${rowCount}`;
    const errorBox = element('p', { id: `${id}-error`, class: 'error field-error' });
    const team = element(
      'select',
      { id: `${id}-team`, 'aria-describedby': errorBox.id, 'data-role': 'team' },
      ...teamOptions(entry.team),
    );
    const skills = element('input', {
      id: `${id}-skills`,
      'data-role': 'skills',
      autocomplete: 'off',
      placeholder: 'Acme.Shop.Refund, Acme.Billing.*',
      'aria-describedby': errorBox.id,
    });
    skills.value = entry.skills.join(', ');
    const remove = element('button', { type: 'button', class: 'secondary' }, 'Remove');
    const row = element(
      'li',
      {},
      element('div', {}, element('label', { for: team.id }, 'Team'), team),
      element('div', {}, element('label', { for: skills.id }, 'Associated skills (comma-separated)'), skills),
      remove,
      errorBox,
    );
    remove.addEventListener('click', () => {
      row.remove();
      relabelRows();
      addTeam.focus();
      say('Team row removed; save to apply.');
    });
    rowsList.append(row);
    relabelRows();
    return row;
  };

  /** Each row's remove button names its position, so screen-reader users know which one it removes. */
  const relabelRows = () => {
    [...rowsList.children].forEach((row, index) => {
      row.querySelector('button')?.setAttribute('aria-label', `Remove team row ${index + 1}`);
    });
  };

  const renderRouting = () => {
    if (current === undefined) return;
    clearInvalid(routingForm);
    defaultTeam.replaceChildren(...teamOptions(current.routing.defaultTeam.team));
    rowsList.replaceChildren();
    for (const entry of current.routing.teams) addRow(entry);
    if (current.source === 'configuration') {
      for (const control of routingForm.querySelectorAll<HTMLInputElement>('input, select, button')) {
        control.disabled = true;
      }
    }
  };

  addTeam.addEventListener('click', () => {
    const used = new Set(
      [...rowsList.querySelectorAll<HTMLSelectElement>('select')].map((select) => select.value),
    );
    const next = teams.find((team) => !used.has(team.id) && team.id !== defaultTeam.value) ?? teams[0];
    const row = addRow({ team: next?.id ?? '', skills: [] });
    row.querySelector('select')?.focus();
    say('Team row added.');
  });

  const labelOf = (teamId: string) => teams.find((team) => team.id === teamId)?.name.slice(0, 100);

  const routingBody = (): Routing => ({
    defaultTeam: { team: defaultTeam.value, ...optionalLabel(defaultTeam.value) },
    teams: [...rowsList.children].map((row) => {
      const team = (row.querySelector('[data-role="team"]') as HTMLSelectElement).value;
      const skills = (row.querySelector('[data-role="skills"]') as HTMLInputElement).value
        .split(',')
        .map((skill) => skill.trim())
        .filter((skill) => skill !== '');
      return { team, ...optionalLabel(team), skills };
    }),
    askWhenNoSkill: current?.routing.askWhenNoSkill ?? false,
  });
  const optionalLabel = (teamId: string) => {
    const label = labelOf(teamId);
    return label === undefined ? {} : { label };
  };

  const showRoutingIssues = (error: ApiError) => {
    const rows = [...rowsList.children];
    for (const issue of error.issues) {
      if (/^defaultTeam\b/.test(issue.path)) {
        markInvalid(defaultTeamError, issue.message, [defaultTeam]);
        continue;
      }
      const match = /^teams\[(\d+)\](?:\.(team|skills|label))?/.exec(issue.path);
      const row = match === null ? undefined : rows[Number(match[1])];
      if (match === null || row === undefined) {
        markInvalid(routingError, `${issue.path}: ${issue.message}`, []);
        continue;
      }
      const role = match[2] === 'skills' ? 'skills' : 'team';
      markInvalid(row.querySelector('.field-error') as HTMLElement, issue.message, [
        row.querySelector(`[data-role="${role}"]`) as HTMLElement,
      ]);
    }
    if (error.issues.length === 0) markInvalid(routingError, error.message, []);
  };

  routingForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (current === undefined) return;
    clearInvalid(routingForm);
    const button = byId<HTMLButtonElement>('save-routing');
    button.disabled = true;
    try {
      current = await api.put<ChatbotView>(path(current.id, '/routing'), routingBody(), current.revision);
      renderRouting();
      say(`Routing saved (revision ${current.revision}).`);
    } catch (error) {
      if (error instanceof ApiError && error.status === 400) {
        showRoutingIssues(error);
        const count = Math.max(error.issues.length, 1);
        say(`Routing not saved: ${count} ${count === 1 ? 'problem' : 'problems'}, shown beside the fields.`);
        focusFirstInvalid(routingForm);
      } else if (error instanceof ApiError && error.status === 409 && error.code === 'conflict') {
        say(await reloadedAfterConflict('Routing'));
      } else say(`Routing not saved: ${describe(error)}`);
    } finally {
      button.disabled = false;
    }
  });

  // A new chatbot.

  newBotForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const value = (name: string) => (newBotForm.elements.namedItem(name) as HTMLInputElement).value.trim();
    try {
      const created = await api.post<ChatbotView>('/v1/admin/bots', {
        id: value('id'),
        name: value('name'),
        channels: { [value('channel')]: { token: value('token') } },
        support: { type: 'in-process' },
        supportEnabled: false,
        routing: { defaultTeam: '1' },
      });
      newBotForm.reset();
      await loadChatbots(created.id);
      say(`Chatbot ${created.id} created; turn support on and set its routing below.`);
    } catch (error) {
      say(`Chatbot not created: ${describe(error)}`);
    }
  });

  botSelect.addEventListener('change', () => {
    showSelected().catch((error) => say(`Could not read the chatbot: ${describe(error)}`));
  });

  return { loadChatbots };
}

async function main() {
  const token = readToken(adminTokenKey) ?? (await askForToken(byId('token-panel'), adminTokenKey));
  const page = createSettingsPage(createApiClient(token));
  const wanted = new URLSearchParams(window.location.search).get('bot') ?? undefined;
  try {
    await page.loadChatbots(wanted);
  } catch (error) {
    byId('settings-status').textContent =
      error instanceof ApiError && (error.status === 401 || error.status === 403)
        ? `This token cannot use the admin API (${error.message}). Reload and paste an admin token.`
        : `Could not list the chatbots: ${error instanceof Error ? error.message : String(error)}`;
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
      sessionStorage.removeItem(adminTokenKey);
    }
  }
}

main().catch((error: unknown) => {
  byId('settings-status').textContent = error instanceof Error ? error.message : String(error);
});
