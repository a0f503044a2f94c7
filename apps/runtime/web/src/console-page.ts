import { type ApiClient, ApiError, type Attachment, createApiClient } from './api-client.js';
import { attachmentView } from './attachment-view.js';
import { byId, element, formatTime, scrollToEnd } from './dom.js';
import { askForToken, readToken } from './token.js';

interface Team {
  id: string;
  name: string;
}
interface Agent {
  id: string;
  name: string;
  teamIds: string[];
  available: boolean;
}
type Status = 'pending' | 'open' | 'resolved';
interface ConversationSummary {
  id: string;
  status: Status;
  team: { id: string; name: string } | null;
  assignee: { id: string; name: string } | null;
  labels: string[];
  user: { id: string; externalId: string; name: string | null } | null;
  lastMessage: { author: string; text: string; createdAt: string } | null;
  updatedAt: string;
}
interface ConversationDetail extends ConversationSummary {
  attributes: Record<string, string | number | boolean>;
  messages: Array<{
    id: string;
    author: 'user' | 'bot' | 'note' | 'agent';
    private: boolean;
    text: string;
    attachments: Attachment[];
    agent: string | null;
    createdAt: string;
  }>;
}

const pollMs = 1_500;
const statusLabels: Record<Status, string> = {
  open: 'Open',
  pending: 'Waiting for transfer',
  resolved: 'Resolved',
};

function createConsole(api: ApiClient) {
  const teamsBox = byId('teams');
  const agentsBox = byId('agents');
  const actingAs = byId<HTMLSelectElement>('acting-as');
  const title = byId('conversation-title');
  const meta = byId('conversation-meta');
  const transcript = byId<HTMLOListElement>('transcript');
  const transcriptBox = byId('transcript-box');
  const form = byId<HTMLFormElement>('reply-form');
  const replyInput = byId<HTMLTextAreaElement>('reply-input');
  const fileInput = byId<HTMLInputElement>('reply-attach');
  const pendingFiles = byId<HTMLUListElement>('reply-files');
  const errorBox = byId('console-error');
  const liveRegion = byId('console-live');

  let selected: string | undefined;
  let files: File[] = [];
  let teams: Team[] = [];
  let agents: Agent[] = [];
  let lastTranscript = '';
  let lastList = '';

  const showError = (error: unknown) => {
    errorBox.textContent = error instanceof Error ? error.message : String(error);
  };
  const agentId = () => (actingAs.value === '' ? undefined : actingAs.value);

  const renderAgents = () => {
    if (actingAs.options.length === 0) {
      actingAs.replaceChildren(...agents.map((agent) => element('option', { value: agent.id }, agent.name)));
    }
    agentsBox.replaceChildren(
      ...agents.map((agent) => {
        const id = `available-${agent.id}`;
        const teamNames = agent.teamIds.map(
          (teamId) => teams.find((team) => team.id === teamId)?.name ?? teamId,
        );
        const box = element('input', {
          type: 'checkbox',
          id,
          'data-agent': agent.id,
          checked: agent.available,
        });
        return element(
          'li',
          {},
          box,
          ' ',
          element(
            'label',
            { for: id, class: 'agent-label' },
            `${agent.name} available`,
            element('span', { class: 'muted' }, ` (${teamNames.join(', ')})`),
          ),
        );
      }),
    );
  };

  const conversationButton = (conversation: ConversationSummary) => {
    const who = conversation.user?.name ?? conversation.user?.externalId ?? 'Unknown user';
    return element(
      'li',
      {},
      element(
        'button',
        {
          type: 'button',
          class: 'conversation-button',
          'data-conversation': conversation.id,
          'aria-current': conversation.id === selected ? 'true' : undefined,
        },
        element('span', { class: 'conversation-user' }, `${who} · #${conversation.id}`),
        element('span', { class: 'muted' }, conversation.lastMessage?.text ?? ''),
      ),
    );
  };

  /** Conversations by team, then by status (open first). */
  const renderList = (conversations: ConversationSummary[]) => {
    const key = JSON.stringify([
      selected,
      conversations.map((conversation) => [
        conversation.id,
        conversation.status,
        conversation.updatedAt,
        conversation.team?.id,
      ]),
    ]);
    if (key === lastList) return;
    lastList = key;
    const groups = [
      ...teams.map((team) => ({ id: team.id, name: team.name })),
      { id: '', name: 'Not transferred yet' },
    ];
    teamsBox.replaceChildren(
      ...groups.flatMap((team) => {
        const mine = conversations.filter((conversation) => (conversation.team?.id ?? '') === team.id);
        if (mine.length === 0 && team.id === '') return [];
        const headingId = `team-${team.id || 'none'}`;
        return [
          element(
            'section',
            { class: 'team', 'aria-labelledby': headingId },
            element(
              'h3',
              { id: headingId },
              `${team.name} (${mine.filter((conversation) => conversation.status !== 'resolved').length})`,
            ),
            ...(['open', 'pending', 'resolved'] as const).flatMap((status) => {
              const inStatus = mine.filter((conversation) => conversation.status === status);
              if (inStatus.length === 0) return [];
              return [
                element('h4', {}, statusLabels[status]),
                element('ul', { class: 'conversation-list' }, ...inStatus.map(conversationButton)),
              ];
            }),
            mine.length === 0 ? element('p', { class: 'muted' }, 'No conversations') : undefined,
          ),
        ];
      }),
    );
  };

  const authorLabel = (message: ConversationDetail['messages'][number]) => {
    switch (message.author) {
      case 'user':
        return 'User';
      case 'bot':
        return 'Bot';
      case 'note':
        return message.agent === null ? 'Note from the bot (private)' : `Note by ${message.agent} (private)`;
      case 'agent':
        return message.agent ?? 'Agent';
    }
  };

  const renderConversation = (conversation: ConversationDetail) => {
    const key = JSON.stringify([
      conversation.id,
      conversation.status,
      conversation.messages.length,
      conversation.assignee?.id,
      conversation.labels,
    ]);
    if (key === lastTranscript) return;
    const grew = lastTranscript !== '' && JSON.parse(lastTranscript)[0] === conversation.id;
    lastTranscript = key;
    const who = conversation.user?.name ?? conversation.user?.externalId ?? 'Unknown user';
    title.textContent = `${who} · conversation #${conversation.id}`;
    meta.replaceChildren(
      element('dt', {}, 'Team'),
      element('dd', {}, conversation.team?.name ?? 'not transferred yet'),
      element('dt', {}, 'Status'),
      element('dd', {}, statusLabels[conversation.status]),
      element('dt', {}, 'Assignee'),
      element('dd', {}, conversation.assignee?.name ?? 'nobody'),
      element('dt', {}, 'Labels'),
      element('dd', {}, conversation.labels.length === 0 ? 'none' : conversation.labels.join(', ')),
    );
    transcript.replaceChildren(
      ...conversation.messages.map((message) =>
        element(
          'li',
          { class: `message message-${message.author === 'note' ? 'note' : message.author}` },
          element(
            'p',
            { class: 'message-meta' },
            element('span', { class: 'message-author' }, authorLabel(message)),
            ' ',
            element('time', { datetime: message.createdAt }, formatTime(message.createdAt)),
          ),
          message.text === '' ? undefined : element('p', { class: 'message-text' }, message.text),
          ...message.attachments.map(attachmentView),
        ),
      ),
    );
    scrollToEnd(transcriptBox, transcript);
    form.hidden = false;
    const last = conversation.messages.at(-1);
    if (grew && last !== undefined && last.author === 'user')
      liveRegion.textContent = `New message from ${who}`;
  };

  const refresh = async () => {
    try {
      const { conversations } = await api.get<{ conversations: ConversationSummary[] }>(
        '/v1/console/conversations',
      );
      renderList(conversations);
      if (selected !== undefined)
        renderConversation(await api.get<ConversationDetail>(`/v1/console/conversations/${selected}`));
      errorBox.textContent = '';
    } catch (error) {
      showError(error);
    }
  };

  const act = async (path: string, body: Record<string, unknown> = {}) => {
    if (selected === undefined) return;
    errorBox.textContent = '';
    try {
      const agent = agentId();
      await api.post(`/v1/console/conversations/${selected}/${path}`, {
        ...body,
        ...(agent === undefined ? {} : { agentId: agent }),
      });
      await refresh();
    } catch (error) {
      showError(error);
    }
  };

  const renderPendingFiles = () => {
    pendingFiles.replaceChildren(
      ...files.map((file, index) =>
        element(
          'li',
          {},
          file.name,
          ' ',
          element(
            'button',
            {
              type: 'button',
              class: 'link-button',
              'data-index': String(index),
              'aria-label': `Remove ${file.name}`,
            },
            'Remove',
          ),
        ),
      ),
    );
  };

  teamsBox.addEventListener('click', (event) => {
    const button = (event.target as HTMLElement).closest(
      'button[data-conversation]',
    ) as HTMLButtonElement | null;
    if (button === null) return;
    selected = button.dataset.conversation;
    lastTranscript = '';
    lastList = '';
    void refresh().then(() => replyInput.focus());
  });
  agentsBox.addEventListener('change', async (event) => {
    const box = event.target as HTMLInputElement;
    const id = box.dataset.agent;
    if (id === undefined) return;
    try {
      await api.post(`/v1/console/agents/${encodeURIComponent(id)}/availability`, { available: box.checked });
    } catch (error) {
      box.checked = !box.checked;
      showError(error);
    }
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const submitter = (event as SubmitEvent).submitter as HTMLButtonElement | null;
    const action = submitter?.value ?? 'reply';
    if (action === 'resolve' || action === 'assign') {
      await act(action);
      return;
    }
    const text = replyInput.value.trim();
    if (text === '' && files.length === 0) {
      showError(
        new Error(action === 'note' ? 'Write the note first.' : 'Write a reply or attach a file first.'),
      );
      return;
    }
    try {
      const attachments: Attachment[] = [];
      if (action === 'reply') for (const file of files) attachments.push(await api.upload(file));
      await act(
        action,
        action === 'note' ? { text } : { text, ...(attachments.length === 0 ? {} : { attachments }) },
      );
      if (errorBox.textContent === '') {
        replyInput.value = '';
        if (action === 'reply') {
          files = [];
          renderPendingFiles();
        }
      }
    } catch (error) {
      showError(error);
    }
    replyInput.focus();
  });
  replyInput.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit(byId<HTMLButtonElement>('send-reply'));
    }
  });
  replyInput.addEventListener('input', () => {
    if (selected === undefined) return;
    const agent = agentId();
    void api
      .post(`/v1/console/conversations/${selected}/typing`, {
        typing: replyInput.value !== '',
        ...(agent === undefined ? {} : { agentId: agent }),
      })
      .catch(() => undefined);
  });
  fileInput.addEventListener('change', () => {
    files = [...files, ...Array.from(fileInput.files ?? [])];
    fileInput.value = '';
    renderPendingFiles();
  });
  pendingFiles.addEventListener('click', (event) => {
    const index = (event.target as HTMLElement).dataset.index;
    if (index === undefined) return;
    files.splice(Number(index), 1);
    renderPendingFiles();
  });

  return {
    async start() {
      try {
        ({ teams, agents } = await api.get<{ teams: Team[]; agents: Agent[] }>('/v1/console/teams'));
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) {
          byId('console-unavailable').hidden = false;
          byId('console-main').hidden = true;
          return;
        }
        throw error;
      }
      renderAgents();
      await refresh();
      setInterval(() => {
        void refresh();
        void api
          .get<{ teams: Team[]; agents: Agent[] }>('/v1/console/teams')
          .then((answer) => {
            agents = answer.agents;
            if (!agentsBox.contains(document.activeElement)) renderAgents();
          })
          .catch(() => undefined);
      }, pollMs);
    },
  };
}

async function main() {
  const token = readToken() ?? (await askForToken(byId('token-panel')));
  await createConsole(createApiClient(token)).start();
}

void main();
