"""The AWS CDK app: the stack (stack.py), its code asset bundled without Docker (bundling.py),
and the app that synthesizes it with its checks (app.py)."""
