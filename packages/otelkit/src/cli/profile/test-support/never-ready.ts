// A service that starts but never listens: `otelkit profile` must give up on it.
setInterval(() => {}, 60_000);
