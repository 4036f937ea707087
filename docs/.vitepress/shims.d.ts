// Vue single-file components are compiled by VitePress (Vite + @vitejs/plugin-vue); tsc only needs to know
// they export a component.
declare module '*.vue' {
  import type { DefineComponent } from 'vue'

  const component: DefineComponent
  export default component
}

// Stylesheets are bundled by Vite.
declare module '*.css'
