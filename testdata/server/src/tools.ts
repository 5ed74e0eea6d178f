// Graph "tools": node "act" calls two tools the way a tool-calling agent's
// tool node does (each invoked with a tool call and the node's config, so the
// server's "tools" and "events" stream modes see them):
//   - "lookup" (tool call id "call_lookup", args {"q": "go"}) streams one
//     progress chunk {"progress": 0.5} and returns "found: go";
//   - "broken" (tool call id "call_broken") throws an error "tool failed",
//     which the node catches.
// The node returns {"results": ["found: go", "error: tool failed"]} and, in
// "messages", the AI message that asked for both calls (tool_calls with their
// type "tool_call") and the tool message that answers the first.
import {
  Annotation,
  MessagesAnnotation,
  StateGraph,
  type LangGraphRunnableConfig,
} from "@langchain/langgraph";
import { tool } from "@langchain/core/tools";
import { AIMessage, ToolMessage } from "@langchain/core/messages";

const State = Annotation.Root({
  ...MessagesAnnotation.spec,
  results: Annotation<string[]>(),
});

const lookup = tool(
  async function* (input: { q: string }) {
    yield { progress: 0.5 };
    return `found: ${input.q}`;
  },
  {
    name: "lookup",
    description: "Looks a query up.",
    schema: {
      type: "object",
      properties: { q: { type: "string" } },
      required: ["q"],
    },
  },
);

const broken = tool(
  async (): Promise<string> => {
    throw new Error("tool failed");
  },
  {
    name: "broken",
    description: "Always fails.",
    schema: { type: "object", properties: {} },
  },
);

async function act(
  _state: typeof State.State,
  config: LangGraphRunnableConfig,
): Promise<typeof State.Update> {
  const lookupCall = {
    name: "lookup",
    args: { q: "go" },
    id: "call_lookup",
    type: "tool_call" as const,
  };
  const brokenCall = {
    name: "broken",
    args: {},
    id: "call_broken",
    type: "tool_call" as const,
  };
  const asked = new AIMessage({
    content: "",
    tool_calls: [lookupCall, brokenCall],
  });
  const found: ToolMessage = await lookup.invoke(lookupCall, config);
  const results = [String(found.content)];
  try {
    await broken.invoke(brokenCall, config);
  } catch (e) {
    results.push(`error: ${(e as Error).message}`);
  }
  return { results, messages: [asked, found] };
}

export const graph = new StateGraph(State)
  .addNode("act", act)
  .addEdge("__start__", "act")
  .addEdge("act", "__end__")
  .compile();
