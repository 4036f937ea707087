// One page per bench/results/<suite>.json, generated at build time.
import { suiteMarkdown, suiteTitle } from '../.vitepress/bench-md.mts'
import { listSuites, packageStates, readSuite } from '../.vitepress/site.mts'

export default {
  paths() {
    const states = packageStates()
    return listSuites().map((suite) => {
      const result = readSuite(suite)
      const guide = states.find((s) => s.suite === suite)?.guide ?? null
      const title = suiteTitle(suite)
      return {
        params: { suite, title, result },
        content: `# Benchmarks: ${title}\n\n${suiteMarkdown(result, guide)}`,
      }
    })
  },
}
