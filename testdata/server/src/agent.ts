// Graph "agent": echoes the last human message through a fake chat model.
//
// State: messages (LangChain messages reducer), user (last value), headers (last value).
// Node "agent": reads the content X of the last human message, answers with an
// AI message "You said: X" produced by FakeListChatModel (invoked with the node's
// config, so the server's messages / messages-tuple stream modes see token chunks),
// emits one custom event {"node":"agent","said":X}, and records the
// authenticated user and every "x-" configurable key (copied by the server from
// the request headers).
import {
  Annotation,
  MessagesAnnotation,
  StateGraph,
  type LangGraphRunnableConfig,
} from "@langchain/langgraph";
import type { BaseMessage } from "@langchain/core/messages";
import { FakeListChatModel } from "@langchain/core/utils/testing";

const State = Annotation.Root({
  ...MessagesAnnotation.spec,
  user: Annotation<Record<string, unknown> | null>(),
  headers: Annotation<Record<string, unknown>>(),
});

function textOf(message: BaseMessage): string {
  const content = message.content as unknown;
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((part) =>
        typeof part === "string"
          ? part
          : part != null && typeof part === "object" && "text" in part
            ? String((part as { text: unknown }).text)
            : "",
      )
      .join("");
  }
  return String(content ?? "");
}

async function agent(
  state: typeof State.State,
  config: LangGraphRunnableConfig,
): Promise<typeof State.Update> {
  const lastHuman = [...state.messages]
    .reverse()
    .find((m) => m.getType() === "human");
  const said = lastHuman ? textOf(lastHuman) : "";

  const model = new FakeListChatModel({ responses: [`You said: ${said}`] });
  const ai = await model.invoke(state.messages, config);

  config.writer?.({ node: "agent", said });

  const configurable = (config.configurable ?? {}) as Record<string, unknown>;
  const headers: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(configurable)) {
    if (key.startsWith("x-")) headers[key] = value;
  }
  const user =
    (configurable.langgraph_auth_user as Record<string, unknown> | undefined) ??
    null;

  return { messages: [ai], user, headers };
}

export const graph = new StateGraph(State)
  .addNode("agent", agent)
  .addEdge("__start__", "agent")
  .addEdge("agent", "__end__")
  .compile();
