"""One made-up example per rule in victor.secrets.rules (random bodies of the right shape), so each
rule has a test. Values are generated, not real credentials."""

from __future__ import annotations

import base64
import json
import random

_rng = random.Random(7)
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"
HEX = "0123456789abcdef"
UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def r(n: int, alphabet: str = ALNUM) -> str:
    return "".join(_rng.choice(alphabet) for _ in range(n))


def pem(label: str, body: str) -> str:
    """A PEM block, put together at run time so that this file holds none."""
    return f"-----BEGIN {label}-----\n{body}\n-----END {label}-----"


def _b64(obj: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")


JWT = f"{_b64({'alg': 'HS256', 'typ': 'JWT'})}.{_b64({'sub': r(12), 'name': 'Dev'})}.{r(43)}"

EXAMPLES: dict[str, str] = {
    "aws-access-key-id": "aws_id = AKIA" + r(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"),
    "aws-secret-access-key": f'aws_secret_access_key = "{r(40)}"',
    "aws-appsync-api-key": "da2-" + r(26, LOWER_ALNUM),
    "aws-bedrock-api-key": "ABSK" + r(120),
    "gcp-api-key": f'maps_key = "AIza{r(35)}"',
    "azure-ad-client-secret": r(3) + "8Q~" + r(34),
    "azure-storage-account-key": "DefaultEndpointsProtocol=https;AccountName=demo;AccountKey=" + r(86) + "==",
    "azure-sas-token": "https://demo.blob.core.windows.net/c?sv=2022-11-02&ss=b&sig=" + r(44) + "%3D",
    "azure-connection-secret": "Endpoint=sb://demo.servicebus.windows.net/;SharedAccessKeyName=x;SharedAccessKey=" + r(44),
    "alibaba-access-key-id": "LTAI" + r(20),
    "digitalocean-token": "dop_v1_" + r(64, HEX),
    "heroku-api-key": "HRKU-AA" + r(58),
    "flyio-token": "fo1_" + r(43),
    "ibm-cloud-iam-key": "ibm_api_key = " + r(44),
    "ibm-cos-hmac-secret": "secret_access_key = " + r(48, HEX),
    "softlayer-api-key": "softlayer_api_key = " + r(64, LOWER_ALNUM),
    "softlayer-api-url": "https://api.softlayer.com/rest/v3/" + r(64, LOWER_ALNUM),
    "cloudant-credential": "cloudant_password = " + r(40, LOWER_ALNUM),
    "hashicorp-tf-token": r(14, LOWER_ALNUM) + ".atlasv1." + r(64, LOWER_ALNUM),
    "vault-token": "hvs." + r(95),
    "doppler-token": "dp.pt." + r(43),
    "databricks-token": "dapi" + r(32, HEX),
    "cloudflare-api-key": f'cloudflare_global: "{r(37, HEX)}"',
    "cloudflare-origin-ca-key": "v1.0-" + r(24, HEX) + "-" + r(146, HEX),
    "dynatrace-token": "dt0c01." + r(24, UPPER_ALNUM) + "." + r(64, UPPER_ALNUM),
    "newrelic-key": "NRAK-" + r(27, UPPER_ALNUM),
    "grafana-token": "glsa_" + r(32) + "_" + r(8, HEX),
    "sentry-token": "sntryu_" + r(64, HEX),
    "planetscale-token": "pscale_tkn_" + r(43),
    "pulumi-token": "pul-" + r(40, HEX),
    "yandex-key": "AQVN" + r(36),
    "github-pat": "ghp_" + r(36),
    "github-oauth": "gho_" + r(36),
    "github-app-token": "ghs_" + r(36),
    "github-refresh-token": "ghr_" + r(36),
    "github-fine-grained-pat": "github_pat_" + r(82),
    "openshift-token": "oc login --token=sha256~" + r(43),
    "sidekiq-credential": f"BUNDLE_GEMS__CONTRIBSYS__COM={r(8, HEX)}:{r(8, HEX)}",
    "gitlab-token": "glpat-" + r(20),
    "gitlab-session-cookie": "_gitlab_session=" + r(32, LOWER_ALNUM),
    "bitbucket-app-password": "ATBB" + r(32),
    "atlassian-api-token": "ATATT3" + r(186),
    "sourcegraph-token": "sgp_" + r(16, HEX) + "_" + r(40, HEX),
    "travisci-token": "travis_token = " + r(22),
    "octopus-deploy-key": "API-" + r(26, UPPER_ALNUM),
    "harness-token": "pat." + r(22) + "." + r(24) + "." + r(20),
    "artifactory-token": "AKCp" + r(69),
    "artifactory-password": "AP6" + r(20),
    "slack-token": "xoxb-" + r(11, "0123456789") + "-" + r(12, "0123456789") + "-" + r(24),
    "slack-app-token": "xapp-1-A" + r(10, UPPER_ALNUM) + "-" + r(13, "0123456789") + "-" + r(64, HEX),
    "slack-webhook": "https://hooks.slack.com/services/T" + r(8, UPPER_ALNUM) + "/B" + r(8, UPPER_ALNUM) + "/" + r(24),
    "discord-webhook": "https://discord.com/api/webhooks/" + r(18, "0123456789") + "/" + r(68),
    "discord-bot-token": "discord_bot = MT" + r(22) + "." + r(6) + "." + r(27),
    "telegram-bot-token": r(9, "123456789") + ":AA" + r(33),
    "teams-webhook": "https://contoso.webhook.office.com/webhookb2/" + r(36),
    "twilio-key": "SK" + r(32, HEX),
    "sendgrid-key": "SG." + r(22) + "." + r(43),
    "mailchimp-key": r(32, HEX) + "-us12",
    "mailgun-key": "key-" + r(32, LOWER_ALNUM),
    "sendinblue-key": "xkeysib-" + r(64, HEX) + "-" + r(16, LOWER_ALNUM),
    "stripe-key": "sk_live_" + r(24),
    "square-token": "sq0atp-" + r(22),
    "paypal-braintree-token": "access_token$production$" + r(16, LOWER_ALNUM) + "$" + r(32, HEX),
    "flutterwave-key": "FLWSECK_TEST-" + r(32, "abcdefgh0123456789") + "-X",
    "shopify-token": "shpat_" + r(32, HEX),
    "plaid-token": f"access-sandbox-{r(8, HEX)}-{r(4, HEX)}-{r(4, HEX)}-{r(4, HEX)}-{r(12, HEX)}",
    "duffel-token": "duffel_live_" + r(43),
    "shippo-token": "shippo_live_" + r(40, HEX),
    "openai-api-key": "sk-proj-" + r(58) + "T3BlbkFJ" + r(58),
    "anthropic-api-key": "sk-ant-api03-" + r(93) + "AA",
    "huggingface-token": "hf_" + r(34, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    "groq-api-key": "gsk_" + r(52),
    "xai-api-key": "xai-" + r(80),
    "perplexity-api-key": "pplx-" + r(48),
    "replicate-token": "r8_" + r(37),
    "langsmith-key": "lsv2_pt_" + r(32, HEX) + "_" + r(10, HEX),
    "npm-token": "npm_" + r(36),
    "npmrc-auth-token": "//registry.npmjs.org/:_authToken=" + r(36, HEX),
    "pypi-token": "".join(["pypi-", "AgEIcHlwaS5vcmc"]) + r(70),
    "rubygems-key": "rubygems_" + r(48, HEX),
    "clojars-token": "CLOJARS_" + r(60, LOWER_ALNUM),
    "nuget-key": "oy2" + r(43, LOWER_ALNUM),
    "docker-auth": '{"auths": {"registry.example.test": {"auth": "' + base64.b64encode(b"dev:" + r(20).encode()).decode() + '"}}}',
    "1password-token": "ops_eyJ" + r(260),
    "age-secret-key": "AGE-SECRET-KEY-1" + r(58, "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L"),
    "linear-api-key": "lin_api_" + r(40),
    "postman-key": "PMAK-" + r(24, HEX) + "-" + r(34, HEX),
    "notion-token": "ntn_" + r(11, "0123456789") + r(35),
    "contentful-token": "CFPAT-" + r(43),
    "dropbox-token": "sl." + r(140),
    "easypost-key": "EZAK" + r(54),
    "facebook-app-token": f"facebook app: {r(16, '0123456789')}|{r(27)}",
    "facebook-token": "EAAC" + r(120),
    "mapbox-token": "sk.eyJ" + r(60) + "." + r(22),
    "typeform-token": "tfp_" + r(59),
    "readme-key": "rdme_" + r(70, LOWER_ALNUM),
    "prefect-key": "pnu_" + r(36),
    "infracost-key": "ico-" + r(32),
    "scalingo-token": "tk-us-" + r(48),
    "frameio-token": "fio-u-" + r(64),
    "defined-networking-key": "dnkey-" + r(26, LOWER_ALNUM) + "-" + r(52, LOWER_ALNUM),
    "intra42-secret": "s-s4t2ud-" + r(64, HEX),
    "settlemint-token": "sm_pat_" + r(16),
    "beamer-key": "beamer_key = b_" + r(44, LOWER_ALNUM),
    "private-key": pem("RSA PRIVATE KEY", "\n".join(r(64) for _ in range(4))),
    "kubernetes-secret-data": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ndata:\n  token: "
                              + base64.b64encode(r(24).encode()).decode() + "\n",
    "putty-private-key": f"PuTTY-User-Key-File-{2 + 1}: ssh-ed25519\nEncryption: none",
    "jwt": "token: " + JWT,
    "connection-string-password": f"postgres://app:{r(16)}@db.internal:5432/app",
    "jdbc-password": f"jdbc:sqlserver://db;user=app;password={r(16)};",
    "generic-secret": f'db_password = "{r(20)}"',
    "generic-secret-comparison": f'if ("{r(20)}" == admin_password) {{',
    "generic-secret-argument": f'req.Header.Set("x-api-key", "{r(32)}")',
    "credential-getter": f'func getServiceToken() string {{ return "{r(24)}" }}',
    "credential-element": f"<password>{r(20)}</password>",
    "cli-basic-auth": f"curl -u deploy:{r(16)} https://api.internal/v1",
    "cli-credential-flag": f"deploy --token {r(32)}",
    "authorization-header": f"Authorization: Basic {r(40)}",
}
