// Graph "slow": input {"steps": N, "delay_ms": D} (defaults 3 and 100).
// Node "work" loops N times: sleeps D ms, then emits the custom event {"step": i}
// (i from 1 to N); returns {"count": N}.
import {
  Annotation,
  StateGraph,
  type LangGraphRunnableConfig,
} from "@langchain/langgraph";

const State = Annotation.Root({
  steps: Annotation<number>(),
  delay_ms: Annotation<number>(),
  count: Annotation<number>(),
});

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

export const graph = new StateGraph(State)
  .addNode(
    "work",
    async (state: typeof State.State, config: LangGraphRunnableConfig) => {
      const steps = Number.isFinite(state.steps) ? Number(state.steps) : 3;
      const delay = Number.isFinite(state.delay_ms) ? Number(state.delay_ms) : 100;
      for (let i = 1; i <= steps; i++) {
        await sleep(delay, config.signal);
        config.writer?.({ step: i });
      }
      return { count: steps };
    },
  )
  .addEdge("__start__", "work")
  .addEdge("work", "__end__")
  .compile();
