// The public surface of @aiaa/inference.
export {};
