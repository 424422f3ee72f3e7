"""Command line: ``python -m simulator serve [--host 127.0.0.1] [--port 4566] [--seed N]``."""

from __future__ import annotations

import argparse
import logging
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m simulator", description="Secrets Lab: an offline AWS for learning."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the simulated AWS over HTTP (AWS CLI, SDKs)")
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: loopback only)"
    )
    serve.add_argument("--port", type=int, default=4566)
    serve.add_argument(
        "--seed", type=int, default=None, help="reproducible ids and key material (teaching only)"
    )
    serve.add_argument("--load", default=None, help="start from a snapshot file")
    serve.add_argument("--region", default="us-east-1", help="default Region")
    args = parser.parse_args(argv)

    from simulator.cloud import Cloud
    from simulator.transport.http_server import make_server

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    cloud = (
        Cloud.load(args.load) if args.load else Cloud(seed=args.seed, default_region=args.region)
    )
    server = make_server(cloud, args.host, args.port)
    host, port = str(server.server_address[0]), int(server.server_address[1])
    creds = cloud.credentials()
    print(f"Secrets Lab listening on http://{host}:{port}", flush=True)
    print("Use these credentials (the simulated account's Administrator):")
    print(f"  export AWS_ACCESS_KEY_ID={creds['aws_access_key_id']}")
    print(f"  export AWS_SECRET_ACCESS_KEY={creds['aws_secret_access_key']}")
    print(f"  export AWS_DEFAULT_REGION={cloud.default_region}")
    print(f"  aws --endpoint-url http://{host}:{port} kms list-keys", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
