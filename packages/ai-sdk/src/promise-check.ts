// Catching a reply that promises a person without calling the handoff tool: models often say
// "I'll connect you with an agent" and then do nothing.

/** How a promise of a human made without the handoff tool is caught. */
export interface PromiseCheckSettings {
  /** Whether a reply promises the user a person. Default: English phrasings (`promisesHuman`). */
  detect?: (text: string) => boolean;
  /** What the model is told when asked again. Default: call the tool now, or answer without promising. */
  reminder?: string;
}

const person =
  '(?:a |an |one of our |our |the )?(?:human|person|people|agent|representative|colleague|specialist|someone|somebody|member of (?:our|the) (?:support )?team|support (?:team|agent|staff)|team|live (?:agent|chat|support))';

const promises = [
  /\b(?:connect|transfer|put|pass|forward|hand|escalat)\w* you (?:over |through )?(?:to|with)\b/i,
  new RegExp(
    String.raw`\b(?:connect|transfer|escalat|hand)\w* (?:this|your (?:request|case|question|conversation|chat))(?: over)? to ${person}`,
    'i',
  ),
  new RegExp(
    String.raw`\b${person} (?:will|is going to|shall) (?:be with you|join|get back to you|reach out|contact you|take over|help you|answer)`,
    'i',
  ),
  new RegExp(
    String.raw`\b(?:let me|i will|i'll|i am going to|i'm going to) (?:get|find|bring in|fetch) ${person}`,
    'i',
  ),
];

/** Refusals and offers that name a person but promise nothing (the user has not said yes yet). */
const notPromises =
  /\b(?:can(?:no|')t|cannot|unable to|not able to|won't be able to|no (?:agents?|one) (?:is|are) (?:available|online)|would you like|do you want|shall i|should i|want me to)\b/i;

/**
 * Whether a reply tells the user they are being passed to a person (English). Read clause by
 * clause: a refusal or an offer cancels only its own clause, and a question promises nothing.
 */
export function promisesHuman(text: string): boolean {
  const sentences = text.match(/[^.!?\n]+[.!?]*/g) ?? [];
  return sentences.some((sentence) => {
    if (sentence.trim().endsWith('?')) return false;
    return sentence
      .split(/[,;:]|\b(?:so|but|therefore|instead)\b/i)
      .some((clause) => !notPromises.test(clause) && promises.some((pattern) => pattern.test(clause)));
  });
}

/** What the model is told when it promised a person without calling the tool. */
export function defaultReminder(handoffToolName: string): string {
  return `Your last reply told the user they would be passed to a person, but you did not call the \`${handoffToolName}\` tool, so nobody was told. If the user needs a person, call \`${handoffToolName}\` now. If not, answer again without promising one.`;
}
