import type { Theme } from 'vitepress'
import DefaultTheme from 'vitepress/theme'
import { h } from 'vue'
import BenchChart from './components/BenchChart.vue'
import BenchOverview from './components/BenchOverview.vue'
import PackageGrid from './components/PackageGrid.vue'
import PackageLinks from './components/PackageLinks.vue'
import './custom.css'

export default {
  extends: DefaultTheme,
  Layout: () => h(DefaultTheme.Layout, null, { 'doc-before': () => h(PackageLinks) }),
  enhanceApp({ app }) {
    app.component('BenchChart', BenchChart)
    app.component('BenchOverview', BenchOverview)
    app.component('PackageGrid', PackageGrid)
  },
} satisfies Theme
