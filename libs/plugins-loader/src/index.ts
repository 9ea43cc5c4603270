// The public surface of @aiaa/plugins-loader.
export {};
