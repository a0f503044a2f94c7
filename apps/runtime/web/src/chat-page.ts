import { type ApiClient, ApiError, type Attachment, createApiClient } from './api-client.js';
import { attachmentView } from './attachment-view.js';
import { byId, element, formatTime, scrollToEnd } from './dom.js';
import { openEventStream } from './event-stream.js';
import { askForToken, readToken } from './token.js';

/** A message as the channel API gives it (replies, server-sent events). */
interface ChannelMessage {
  id: string;
  kind: 'bot' | 'agent' | 'notice' | 'user';
  text: string;
  attachments?: Attachment[];
  agent?: { id?: string; name?: string };
  notice?: string;
  createdAt: string;
}

interface TurnResult {
  mode: string;
  replies: ChannelMessage[];
}

interface SessionView {
  mode: 'bot' | 'choosing-team' | 'no-agent' | 'human';
  team?: { id: string; label?: string };
  waiting?: { reason: string; choice?: string };
}

const channelId = 'web';
const maxHistory = 200;

/** The visitor's id, kept in this browser so a reload is the same user. */
function visitorId(): string {
  const stored = localStorage.getItem('handoff.chat.userId');
  if (stored !== null) return stored;
  const created = `visitor-${crypto.randomUUID().slice(0, 8)}`;
  localStorage.setItem('handoff.chat.userId', created);
  return created;
}

function createChat(api: ApiClient) {
  const messages = byId<HTMLOListElement>('message-list');
  const scroller = byId('messages');
  const status = byId('status');
  const typing = byId('typing');
  const errorBox = byId('error');
  const composer = byId<HTMLFormElement>('composer');
  const input = byId<HTMLTextAreaElement>('message-input');
  const fileInput = byId<HTMLInputElement>('attach-input');
  const pendingFiles = byId<HTMLUListElement>('pending-files');
  const sendButton = byId<HTMLButtonElement>('send');
  const backButton = byId<HTMLButtonElement>('back-to-bot');
  const identity = byId<HTMLFormElement>('identity');
  const userIdInput = byId<HTMLInputElement>('user-id');
  const nameInput = byId<HTMLInputElement>('user-name');
  const localeInput = byId<HTMLInputElement>('user-locale');

  let userId = visitorId();
  let files: File[] = [];
  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  let stream: { close(): void } | undefined;
  const shown = new Set<string>();

  const historyKey = () => `handoff.chat.history.${userId}`;
  const sequenceKey = () => `handoff.chat.sequence.${userId}`;
  const userPath = () => `/v1/channels/${channelId}/users/${encodeURIComponent(userId)}`;
  const history = (): ChannelMessage[] => JSON.parse(localStorage.getItem(historyKey()) ?? '[]');

  const remember = (message: ChannelMessage) => {
    const kept = [...history(), message].slice(-maxHistory);
    localStorage.setItem(historyKey(), JSON.stringify(kept));
  };

  const author = (message: ChannelMessage) => {
    switch (message.kind) {
      case 'user':
        return 'You';
      case 'bot':
        return 'Bot';
      case 'agent':
        return message.agent?.name ?? 'Agent';
      case 'notice':
        return 'Notice';
    }
  };

  const render = (message: ChannelMessage, store = true) => {
    if (shown.has(message.id)) return;
    shown.add(message.id);
    if (store) remember(message);
    const item = messages.appendChild(
      element(
        'li',
        { class: `message message-${message.kind}`, 'data-notice': message.notice },
        element(
          'p',
          { class: 'message-meta' },
          element('span', { class: 'message-author' }, author(message)),
          ' ',
          element('time', { datetime: message.createdAt }, formatTime(message.createdAt)),
        ),
        message.text === '' ? undefined : element('p', { class: 'message-text' }, message.text),
        ...(message.attachments ?? []).map(attachmentView),
      ),
    );
    scrollToEnd(scroller, item);
  };

  const showMode = (session: SessionView | undefined) => {
    const team = session?.team?.label ?? session?.team?.id ?? 'the team';
    const text =
      session === undefined || session.mode === 'bot'
        ? 'You are talking to the bot.'
        : session.mode === 'choosing-team'
          ? 'Choose a team to talk to.'
          : session.mode === 'no-agent'
            ? `Nobody from ${team} is available right now.`
            : session.waiting?.choice === 'message'
              ? `Your message goes to ${team}.`
              : `You are with ${team}.`;
    status.textContent = text;
    backButton.hidden = session === undefined || session.mode === 'bot';
  };

  const refreshMode = async () => {
    try {
      showMode(await api.get<SessionView>(`${userPath()}/session`));
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) showMode(undefined);
    }
  };

  const showError = (error: unknown) => {
    errorBox.textContent = error instanceof Error ? error.message : String(error);
  };

  const connect = () => {
    stream?.close();
    stream = openEventStream({
      token: api.token,
      url: () => `${userPath()}/events?after=${localStorage.getItem(sequenceKey()) ?? '0'}`,
      onEvent: (event) => {
        if (event.event === 'typing') {
          const data = JSON.parse(event.data) as { typing: boolean; agent?: { name?: string } };
          clearTimeout(typingTimer);
          typing.textContent = data.typing ? `${data.agent?.name ?? 'The agent'} is typing…` : '';
          if (data.typing) typingTimer = setTimeout(() => (typing.textContent = ''), 8_000);
          return;
        }
        if (event.event !== 'message') return;
        if (event.id !== undefined) localStorage.setItem(sequenceKey(), event.id);
        const message = JSON.parse(event.data) as ChannelMessage;
        if (message.kind === 'agent') typing.textContent = '';
        render(message);
        void refreshMode();
      },
    });
  };

  /** Shows this user's history, then listens for what happens next. */
  const start = () => {
    messages.replaceChildren();
    shown.clear();
    userIdInput.value = userId;
    for (const message of history()) render(message, false);
    if (history().length === 0) {
      render(
        {
          id: 'welcome',
          kind: 'notice',
          text: 'Say hello to the bot. Ask for a refund or an order status, then say "agent" to talk to a person.',
          createdAt: new Date().toISOString(),
        },
        false,
      );
    }
    connect();
    void refreshMode();
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

  const send = async () => {
    const text = input.value.trim();
    if (text === '' && files.length === 0) return;
    errorBox.textContent = '';
    sendButton.disabled = true;
    try {
      const attachments: Attachment[] = [];
      for (const file of files) attachments.push(await api.upload(file));
      const id = crypto.randomUUID();
      const profile = {
        ...(nameInput.value.trim() === '' ? {} : { name: nameInput.value.trim() }),
        ...(localeInput.value.trim() === '' ? {} : { locale: localeInput.value.trim() }),
      };
      const result = await api.post<TurnResult>(`${userPath()}/messages`, {
        id,
        text,
        ...(attachments.length === 0 ? {} : { attachments }),
        ...(Object.keys(profile).length === 0 ? {} : { profile }),
      });
      render({ id: `user:${id}`, kind: 'user', text, attachments, createdAt: new Date().toISOString() });
      for (const reply of result.replies) render(reply);
      input.value = '';
      files = [];
      renderPendingFiles();
      await refreshMode();
    } catch (error) {
      showError(error);
    } finally {
      sendButton.disabled = false;
      input.focus();
    }
  };

  composer.addEventListener('submit', (event) => {
    event.preventDefault();
    void send();
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void send();
    }
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
    input.focus();
  });
  backButton.addEventListener('click', async () => {
    try {
      const result = await api.post<TurnResult>(`${userPath()}/close`, {});
      for (const reply of result.replies) render(reply);
      await refreshMode();
    } catch (error) {
      showError(error);
    }
    input.focus();
  });
  identity.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = userIdInput.value.trim();
    if (next === '') return;
    userId = next;
    localStorage.setItem('handoff.chat.userId', userId);
    start();
    input.focus();
  });
  localeInput.value ||= navigator.language;
  start();
}

async function main() {
  const token = readToken() ?? (await askForToken(byId('token-panel')));
  createChat(createApiClient(token));
}

void main();
