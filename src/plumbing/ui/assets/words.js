// The page's own words in its two languages (the lessons bring theirs): WORDS, the
// language a visitor gets (remembered, else the browser's), and `say`, a key's words
// in a language. Pure: nothing here touches the page, so node imports it as it is.

export const LANGUAGES = ["en", "zh"];
const LANGUAGE_KEY = "spin-async-demo.language";

// Each key is in both languages; a value is the text, or a function that makes it
// from the values it names.
export const WORDS = {
  en: {
    heading: "asyncio on Spin: the tour",
    intro: "One idea per page, in the order the seed explains them. Run an idea and read its timeline: one row per task, faint while it waits at an await, solid while it holds the thread. The Python is the complete asyncio program; the Rust is the code that ran, cut from the component's own file.",
    idea: "Idea", prev: "Previous", next: "Next", home: "The greeting", api: "API description",
    controls: "Parameters", compare: "Compare with a second demo on the same time axis",
    second: "Second demo", run: "Run", permalink: "Link to this run", status: "Status:",
    timeline: "Timeline", ok: "ok", error: "error", cancelled: "cancelled", timed_out: "timed out",
    pending: "pending", running: "running: a poll holds the thread", waiting: "waiting at an await",
    elapsed: "elapsed", expected: "expected", timeout: "timeout", tasks: "Tasks",
    tree: "Who awaits whom", events: "Events, in order", code: "The code",
    python: "Python: the complete asyncio program", rust: "Rust: the code that ran",
    rust_placeholder: "Run the idea to see the Rust that ran.",
    instances: "Requests on instances",
    instances_intro: "Spin gives a component instance up to 16 requests at once, on one thread, like coroutines on one loop. Fire several requests together, some blocking, and see one lane per instance: each request's row is solid while its code holds the thread. A blocking request stalls every other request on its instance.",
    python_too: "Run the Python too: the lesson's asyncio program, in Pyodide (CPython in WebAssembly, served by this app; about 13 MB the first time)",
    python_loading: (s) => `Loading Python (Pyodide) from this app… ${s} s`,
    python_running: "Running the Python…",
    python_done: (ms, loaded) => `Python done: ${ms} ms on the same axis, drawn under the Rust${loaded ? `; Pyodide loaded in ${loaded} s` : ""}.`,
    python_failed: (why) => `The Python run failed: ${why}`,
    requests: "requests", blocking_requests: "of which blocking", fire: "Fire them together",
    block_ms: "blocking requests block (ms)", sleep_ms: "async requests sleep (ms)",
    requests_hint: "At most 6 requests: a browser opens at most 6 connections to one host.",
    idle: "idle", running_state: "running", done: "done", failed: "error",
    col_task: "task", col_outcome: "outcome", col_start: "start ms", col_end: "end ms",
    col_busy: "running ms", col_waiting: "waiting ms", col_polls: "polls", col_longest: "longest poll ms",
    handler: "request handler", awaits: "awaits",
    instance_line: (i) => `Instance ${i.id}: this was request number ${i.request_number} on it; it was serving ${i.serving ?? "?"} request(s) when this one started.`,
    python_from: (folder) => `${folder}/lesson.py (runs with src/common/python/tour.py)`,
    rust_lines: (at) => `${at.file}, lines ${at.first_line}-${at.last_line}`,
    glossary: "Glossary: asyncio in Rust",
    glossary_show: "Every asyncio name the lessons teach, its Rust / WASI 0.3 counterpart, and the lesson that runs it",
    col_asyncio: "asyncio", col_rust: "Rust / WASI 0.3", col_meaning: "What it is", col_lesson: "Lesson",
    no_counterpart: "none",
    replay: "Replay: the run, step by step", replay_play: "Play", replay_pause: "Pause",
    replay_prev: "Previous step", replay_next: "Next step", replay_time: "Time",
    replay_hint: "Space plays and pauses; the arrow keys go to the previous or next step.",
    replay_line: (n) => ` (line ${n})`, replay_thread: "Holds the thread", replay_idle: "nobody (the instance waits for the host)",
    replay_ready: "Ready, waiting for the thread", replay_since: "since", replay_empty: "none",
    replay_waiting: "Waiting at an await", replay_holds: "holds the thread", replay_nothing: "nothing holds the thread",
    loading: "Running this idea with its defaults…", colon: ": ", stop: ".", comma: ", ",
    lane_summary: (lane) => `Instance ${lane.id}: ${lane.count} request(s), numbers ${lane.numbers}; its longest poll held the thread ${lane.longest} ms; the async requests took up to ${lane.slowest} ms for a ${lane.delay} ms sleep.`,
  },
  zh: {
    heading: "Spin 上的 asyncio：导览",
    intro: "每页讲一个概念，顺序与原文一致。运行一个概念，看它的时间线：每个任务一行，在 await 处等待时颜色浅，占着线程运行时颜色深。Python 是完整的 asyncio 程序；Rust 是实际运行的代码，直接从组件自己的源文件中截取。",
    idea: "概念", prev: "上一个", next: "下一个", home: "问候页", api: "API 描述",
    controls: "参数", compare: "在同一时间轴上与另一个演示对比",
    second: "第二个演示", run: "运行", permalink: "本次运行的链接", status: "状态：",
    timeline: "时间线", ok: "成功", error: "出错", cancelled: "已取消", timed_out: "超时",
    pending: "未完成", running: "运行中：一次 poll 占着线程", waiting: "在 await 处等待",
    elapsed: "实际耗时", expected: "预期耗时", timeout: "超时时间", tasks: "任务",
    tree: "谁在等待谁", events: "事件（按发生顺序）", code: "代码",
    python: "Python：完整的 asyncio 程序", rust: "Rust：实际运行的代码",
    rust_placeholder: "运行之后，这里显示实际运行的 Rust 代码。",
    instances: "实例上的请求",
    instances_intro: "Spin 让一个组件实例同时处理最多 16 个请求，它们共用一个线程，就像同一个事件循环上的协程。同时发出几个请求（其中一些是阻塞的），每个实例画一条泳道：请求的代码占着线程时，它那一行颜色加深。一个阻塞的请求会卡住同一实例上的所有其他请求。",
    python_too: "同时运行 Python：这一课的 asyncio 程序，在 Pyodide 中运行（编译成 WebAssembly 的 CPython，由本应用提供；首次约 13 MB）",
    python_loading: (s) => `正在从本应用加载 Python（Pyodide）… ${s} 秒`,
    python_running: "正在运行 Python…",
    python_done: (ms, loaded) => `Python 完成：${ms} ms，画在 Rust 下方的同一时间轴上${loaded ? `；Pyodide 加载用了 ${loaded} 秒` : ""}。`,
    python_failed: (why) => `Python 运行失败：${why}`,
    requests: "请求数", blocking_requests: "其中阻塞的", fire: "同时发出",
    block_ms: "阻塞请求阻塞多久（ms）", sleep_ms: "异步请求睡多久（ms）",
    requests_hint: "最多 6 个请求：浏览器对同一主机最多只开 6 个连接。",
    idle: "空闲", running_state: "运行中", done: "完成", failed: "出错",
    col_task: "任务", col_outcome: "结果", col_start: "开始 ms", col_end: "结束 ms",
    col_busy: "运行 ms", col_waiting: "等待 ms", col_polls: "poll 次数", col_longest: "最长一次 poll ms",
    handler: "请求处理函数", awaits: "等待",
    instance_line: (i) => `实例 ${i.id}：这是它处理的第 ${i.request_number} 个请求；本请求开始时，它正在处理 ${i.serving ?? "?"} 个请求。`,
    python_from: (folder) => `${folder}/lesson.py（依赖 src/common/python/tour.py）`,
    rust_lines: (at) => `${at.file}，第 ${at.first_line}-${at.last_line} 行`,
    glossary: "术语表：asyncio 在 Rust 中的对应",
    glossary_show: "各课讲到的每个 asyncio 名称、它在 Rust / WASI 0.3 中的对应，以及演示它的那一课",
    col_asyncio: "asyncio", col_rust: "Rust / WASI 0.3", col_meaning: "含义", col_lesson: "课程",
    no_counterpart: "无",
    replay: "回放：一步一步看这次运行", replay_play: "播放", replay_pause: "暂停",
    replay_prev: "上一步", replay_next: "下一步", replay_time: "时间",
    replay_hint: "空格键播放或暂停；方向键跳到上一步或下一步。",
    replay_line: (n) => `（第 ${n} 行）`, replay_thread: "占着线程的", replay_idle: "没有（实例在等宿主）",
    replay_ready: "已就绪、等着线程的", replay_since: "自", replay_empty: "无",
    replay_waiting: "在 await 处等待的", replay_holds: "占着线程", replay_nothing: "没有谁占着线程",
    loading: "正在用默认参数运行这个概念…", colon: "：", stop: "。", comma: "、",
    lane_summary: (lane) => `实例 ${lane.id}：${lane.count} 个请求，编号 ${lane.numbers}；最长的一次 poll 占用线程 ${lane.longest} ms；异步请求只睡 ${lane.delay} ms，却最多用了 ${lane.slowest} ms。`,
  },
};

// `chosen` if the page speaks it, else English.
export const languageOf = (chosen) => (LANGUAGES.includes(chosen) ? chosen : "en");

// The words for `key` in `language` (English where that language lacks them).
export const say = (language, key) => WORDS[language]?.[key] ?? WORDS.en[key];

// The language the visitor chose last time, else the browser's (`browserLanguage`:
// navigator.language). `storage` is the page's localStorage unless given; reading it
// may throw (private mode), which counts as nothing saved.
export function savedLanguage(browserLanguage, storage) {
  try {
    const saved = (storage ?? globalThis.localStorage).getItem(LANGUAGE_KEY);
    if (saved) return saved;
  } catch (_) { /* private mode */ }
  return (browserLanguage || "").toLowerCase().startsWith("zh") ? "zh" : "en";
}

export function saveLanguage(language, storage) {
  try { (storage ?? globalThis.localStorage).setItem(LANGUAGE_KEY, language); } catch (_) { /* private mode */ }
}
