// Extra build rules for the labextension (package.json "jupyterlab.webpackConfig", merged by @jupyter/builder):
// files referenced as new URL('…?modeltrace-file', import.meta.url) are copied as static files of the extension
// (the Vega libraries' browser builds, which the HTML report inlines) instead of being bundled as modules.
module.exports = {
  module: {
    rules: [
      {
        resourceQuery: /modeltrace-file/,
        type: 'asset/resource',
        generator: { filename: 'files/[name].[contenthash:8][ext]' }
      }
    ]
  }
};
