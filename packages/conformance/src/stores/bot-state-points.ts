// The bot-state store's points: what a bot kept between turns, on every instance.
import { checkEqual } from '../check.js';
import { type StorePoint, storePoint } from './store-point.js';

const suite = 'bot-state';
const dialogue = (step: number) =>
  JSON.stringify({ skill: 'demo.shop.Refund', slots: { step }, note: 'ü 👋' });

export const botStatePoints: StorePoint[] = [
  storePoint({
    id: 'bot-state/answers-what-was-stored',
    suite,
    title: 'answers a key with the state stored last for it, and an unknown key with nothing',
    async run({ stores }) {
      checkEqual(await stores.botState.get('session-1'), undefined, 'a key never stored');
      await stores.botState.put('session-1', dialogue(1));
      await stores.botState.put('session-2', dialogue(5));
      await stores.botState.put('session-1', dialogue(2));
      checkEqual(await stores.botState.get('session-1'), dialogue(2), 'session-1, stored twice');
      checkEqual(await stores.botState.get('session-2'), dialogue(5), 'session-2');
    },
  }),
  storePoint({
    id: 'bot-state/kept-across-reopen',
    suite,
    title: 'keeps the state when the backend is opened again',
    needs: ['reopen'],
    async run({ stores, reopen }) {
      await stores.botState.put('session-1', dialogue(3));
      const again = await reopen();
      checkEqual(await again.botState.get('session-1'), dialogue(3), 'after a reopen');
    },
  }),
  storePoint({
    id: 'bot-state/shared-by-instances',
    suite,
    title: 'answers on every instance the state one of them stored',
    needs: ['anotherInstance'],
    async run({ stores, anotherInstance }) {
      const other = await anotherInstance();
      await stores.botState.put('session-1', dialogue(4));
      checkEqual(await other.botState.get('session-1'), dialogue(4), 'on the second instance');
    },
  }),
];
