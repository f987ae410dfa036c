import type { PromptTemplate } from '../../record/run-record';
import { asArray, asRecord, asString } from '../../record/read';
import { lcView, messageOf } from './llm-messages';

/**
 * A prompt template run's template, from the `serialized` of `handleChainStart`: a `PromptTemplate`'s
 * text, or every message of a `ChatPromptTemplate` on its role (`system: You are {role}.`), a
 * `MessagesPlaceholder` as its variable (`placeholder: {history}`), a fixed message as its text. Read from
 * live template objects (`serialized.kwargs.messages` holds the instances) or their serialized form.
 */
export function promptTemplateOf(serialized: unknown, variables: unknown): PromptTemplate | undefined {
  const view = lcView(serialized);
  if (!view) return undefined;
  const fields = view.fields;
  const lines: string[] = [];
  const direct = asString(fields.template);
  if (direct !== undefined) lines.push(direct);
  for (const message of asArray(fields.messages)) {
    const line = messageTemplate(message);
    if (line !== undefined) lines.push(line);
  }
  if (lines.length === 0) return undefined;
  const vars = asRecord(variables);
  return { template: lines.join('\n'), variables: vars && Object.keys(vars).length > 0 ? vars : undefined };
}

/** Message prompt template classes to the role of the message they make. */
const ROLE_BY_TEMPLATE: Readonly<Record<string, string>> = {
  SystemMessagePromptTemplate: 'system',
  HumanMessagePromptTemplate: 'user',
  AIMessagePromptTemplate: 'assistant',
};

function messageTemplate(value: unknown): string | undefined {
  const view = lcView(value);
  if (!view) return undefined;
  const { className, fields } = view;
  if (className === 'MessagesPlaceholder') {
    const variable = asString(fields.variableName) ?? asString(fields.variable_name);
    return variable === undefined ? undefined : `placeholder: {${variable}}`;
  }
  const template = templateText(fields.prompt);
  if (template !== undefined) {
    const role = (className !== undefined && Object.hasOwn(ROLE_BY_TEMPLATE, className) ? ROLE_BY_TEMPLATE[className] : asString(fields.role)) ?? 'user';
    return `${role}: ${template}`;
  }
  const message = messageOf(value);
  if (message?.content !== undefined) return `${message.role ?? 'user'}: ${message.content}`;
  return undefined;
}

/** A message template's inner prompt: a `PromptTemplate` (its `template`), or an image/multi-part template's texts. */
function templateText(prompt: unknown): string | undefined {
  if (Array.isArray(prompt)) {
    const texts = prompt.map(templateText).filter((t): t is string => t !== undefined);
    return texts.length > 0 ? texts.join('\n') : undefined;
  }
  const view = lcView(prompt);
  if (!view) return undefined;
  return asString(view.fields.template) ?? asString(view.fields.text);
}
