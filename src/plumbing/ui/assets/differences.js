// What the deliberate differences between a lesson's asyncio program and its Rust
// component (src/common/python/differences.json) mean for one Rust report: which
// apply, and what each allows. The page lists the ones that apply under a Python run;
// the oracle (tests/oracle/oracle.mjs) imports this same module and allows exactly
// those. Pure: node imports it as it is.
//
// A difference: `idea`; `when`, report fields (or params.NAME) and the values that
// make it apply; `outcomes`, a Rust task outcome and the Python one expected instead;
// `ignore`, report fields not compared; `compare`, checks that do not apply (labels,
// results, elapsed, held); `why`, the reason, which the page shows. Its `runtime`
// is not checked: the page and the oracle both run the Python in Pyodide.

// Whether `difference` applies to the Rust `report`.
export function applies(difference, report) {
  return Object.entries(difference.when || {}).every(([field, values]) => {
    const value = field.startsWith("params.") ? report.params[field.slice("params.".length)] : report[field];
    return values.includes(value);
  });
}

// The differences of `idea` that apply to its Rust `report`, in the file's order.
export const applying = (differences, idea, report) =>
  differences.filter((difference) => difference.idea === idea && applies(difference, report));

// The Python outcome expected of a task whose Rust outcome is `outcome`.
export const expectedOutcome = (rules, outcome) =>
  rules.reduce((expected, rule) => (rule.outcomes && rule.outcomes[expected]) || expected, outcome);

// Whether a rule turns off the check `name` (labels, results, elapsed, held).
export const waived = (rules, name) => rules.some((rule) => rule.compare && rule.compare[name] === false);

// The report fields the rules leave out of the comparison.
export const ignoredFields = (rules) => new Set(rules.flatMap((rule) => rule.ignore || []));
