/** Rails' `head :ok`: a 200 with no body, the answer of every action that deletes or acts without rendering. */
import type { FakeHttpResponse } from '@handoff/fake-server';

export const headOk = (): FakeHttpResponse => ({ status: 200, headers: {}, body: '' });
