"""Victor's secret rules, as data: one entry per provider format, then the generic context rules.

Each entry is `Rule(id, kind, keywords, regex, ...)` (see rule.py). Keywords are lower-case literals
that the prefilter looks for; a rule's regex runs only where one of them occurs. Formats follow the
providers' published token prefixes and lengths.
"""

from __future__ import annotations

from victor.secrets.entropy import has_random_segment
from victor.secrets.formats import has_key_body, is_jwt
from victor.secrets.rule import Rule

_B = r"(?<![A-Za-z0-9_\-.])"  # token start: not inside a longer word
_E = r"(?![A-Za-z0-9_\-])"  # token end
_E_BASE64 = r"(?![A-Za-z0-9_\-+/=])"  # token end, not inside a longer base64 run (a certificate's body)
_GIVEN = r"""(?:(?:[=:,(>]|\s-\s|\s-[A-Za-z]\s)\s*["'`]?|["'`])"""  # what a value follows when it is given

# Names of variables that hold credentials, and the assignment forms that give them a value.
_SECRET_NAME = (
    r"(?:api[_.\-]?key|apikey|secret|token|passw(?:or)?d|passwd|pass(?:phrase)?|pwd|auth|credential|creds?"
    r"|private[_.\-]?key|access[_.\-]?key|signing[_.\-]?key|key)"
)
_NAME_START = "(?=[ackpst])"  # the first letters of _SECRET_NAME: lets the regex skip other positions fast
_ASSIGN = (r"""(?:\[\d*\])?["'`]?\\?["'`]?\]?\s*(?:=>|->|:{1,3}=|[?+]=|===?|!==?|=|:|\s-\s|(?<=\s)(?=@?["'`]))\s*"""
           r"""(?:(?:new\s+)?[A-Za-z]+\(\s*)?""")
_VALUE = r"""(?:@?(?P<q>\\?["'`])\s?(?P<s>[^"'`\s]{6,1000}?)\s?(?P=q)|(?P<s2>[^\s"'`;,\\&]{8,200}))"""
_GENERIC_KEYWORDS = ("key", "token", "secret", "pass", "pwd", "auth", "cred")

RULES: tuple[Rule, ...] = (
    # cloud
    Rule("aws-access-key-id", "aws", ("akia", "asia", "abia", "acca", "a3t"),
         _B + r"(?P<s>(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})" + _E, entropy=0.55),
    Rule("aws-secret-access-key", "aws", ("aws", "secret_access_key", "secretaccesskey"),
         r"(?i)(?:aws|secret_?access_?key).{0,25}?[\s:=>\"',]+(?P<s>[A-Za-z0-9/+=]{40})" + _E, entropy=0.7,
         check=has_random_segment),  # not a path of names (`Resources/AWS::EC2::Instance/Properties/…`)
    Rule("aws-appsync-api-key", "aws", ("da2-",), _B + r"(?P<s>da2-[a-z0-9]{26})" + _E),
    Rule("aws-bedrock-api-key", "aws", ("absk",), _B + r"(?P<s>ABSK[A-Za-z0-9+/]{109,269}={0,2})", entropy=0.6),
    # Google API keys ship inside public web and mobile configs; a bare one is more often published than
    # leaked, so a key counts when it is given to something: assigned, quoted, passed or set as a field.
    Rule("gcp-api-key", "google/gcp", ("aiza",), _GIVEN + _B + r"(?P<s>AIza[\w\-]{35})" + _E, entropy=0.6, lead=24),
    Rule("azure-ad-client-secret", "azure", ("q~",),
         r"(?<![\w~.\-])(?P<s>[A-Za-z0-9_~.\-]{3}\dQ~[A-Za-z0-9_~.\-]{31,34})(?![\w~.\-])", entropy=0.6),
    Rule("azure-storage-account-key", "azure", ("accountkey",),
         r"(?i)AccountKey\s*=\s*(?P<s>[A-Za-z0-9+/]{86,88}={0,2})", entropy=0.6),
    Rule("azure-sas-token", "azure", ("sig=",), r"[?&]sv=\d{4}-\d\d-\d\d[^\s\"']*?&sig=(?P<s>[A-Za-z0-9%+/]{30,}={0,2})"),
    Rule("azure-connection-secret", "azure", ("sharedaccesskey=", "secret="),
         r"(?i)(?:SharedAccessKey|;Secret)\s*=\s*(?P<s>[A-Za-z0-9+/]{40,90}={0,2})", entropy=0.6),
    Rule("alibaba-access-key-id", "cloud", ("ltai",), _B + r"(?P<s>LTAI[A-Za-z0-9]{20})" + _E, entropy=0.6),
    Rule("digitalocean-token", "cloud", ("dop_v1_", "doo_v1_", "dor_v1_"), _B + r"(?P<s>do[opr]_v1_[a-f0-9]{64})" + _E),
    Rule("heroku-api-key", "cloud", ("hrku-",), _B + r"(?P<s>HRKU-AA[0-9A-Za-z_\-]{58})" + _E),
    Rule("flyio-token", "cloud", ("fo1_", "fm1", "fm2"), _B + r"(?P<s>(?:fo1_[\w\-]{43}|fm[12][ar]?_[A-Za-z0-9+/]{100,}={0,3}))", entropy=0.6),
    Rule("ibm-cloud-iam-key", "cloud", ("ibm", "iam", "apikey", "api_key"),
         r"(?i)(?:ibm|iam|cloud)[\w.\-]*?(?:api[_.\-]?key|apikey|pass(?:word)?|pwd|key)[\"'`]?\s*(?:=>|:=|=|:)\s*[\"'`]?(?P<s>[A-Za-z0-9_\-]{44})(?![A-Za-z0-9_\-])"),
    Rule("ibm-cos-hmac-secret", "cloud", ("secret_access_key", "secret-access-key", "secretaccesskey"),
         r"(?i)secret[_\-]?access[_\-]?key[\"'`]?\s*(?:=>|:=|=|:)\s*[\"'`]?(?P<s>[a-f0-9]{48})(?![a-f0-9])"),
    Rule("softlayer-api-key", "cloud", ("softlayer", "sl_", "sl-", "slapi", "slkey", "slpass"),
         r"(?i)(?:softlayer|(?<![a-z])sl)[\w\-]*?(?:api[_\-]?key|apikey|key|pass(?:word)?|pwd)[\"'`]?\s*(?::=|=|:|\s)\s*[\"'`]?(?P<s>[a-z0-9]{64})(?![a-z0-9])"),
    Rule("softlayer-api-url", "cloud", ("api.softlayer.com",), r"(?i)api\.softlayer\.com/(?:soap|rest)/v3(?:\.1)?/(?P<s>[a-z0-9]{64})"),
    Rule("cloudant-credential", "cloud", ("cloudant", "clou_"),
         r"(?i)(?:cloudant|\bclou_)[\w.\-]*?(?:api[_.\-]?key|key|pass(?:word)?|pwd?|secret)[\"'`]?\s*(?:=>|:=|=|:)\s*[\"'`]?(?P<s>[a-z0-9]{24,64})(?![a-z0-9])"),
    Rule("hashicorp-tf-token", "cloud", ("atlasv1",), r"(?i)(?P<s>[a-z0-9]{14}\.atlasv1\.[a-z0-9\-_=]{60,70})"),
    Rule("vault-token", "cloud", ("hvs.", "hvb."), _B + r"(?P<s>hv[sb]\.[\w\-]{90,300})" + _E),
    Rule("doppler-token", "cloud", ("dp.",), _B + r"(?P<s>dp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]{40,44})" + _E),
    Rule("databricks-token", "cloud", ("dapi",), _B + r"(?P<s>dapi[a-f0-9]{32}(?:-\d)?)" + _E,
         owns=r"dapi[a-z0-9]{20}"),
    Rule("cloudflare-api-key", "cloud", ("cloudflare",),
         r"(?i)cloudflare[\w.\-]*[\"'`]?\s*[:=]\s*[\"'`]?(?P<s>[a-f0-9]{37}|[\w\-]{40})" + _E, entropy=0.6),
    Rule("cloudflare-origin-ca-key", "cloud", ("v1.0-",), _B + r"(?P<s>v1\.0-[a-f0-9]{24}-[a-f0-9]{146})" + _E),
    Rule("dynatrace-token", "cloud", ("dt0c01.",), _B + r"(?P<s>dt0c01\.[a-z0-9]{24}\.[a-z0-9]{64})" + _E, ignorecase=True),
    Rule("newrelic-key", "cloud", ("nrak-", "nrii-", "nrjs-", "nraa-"), _B + r"(?P<s>NR(?:AK|II|JS|AA)-[\w\-]{19,40})" + _E),
    Rule("grafana-token", "cloud", ("glc_", "glsa_"),
         _B + r"(?P<s>glc_[A-Za-z0-9+/]{32,400}={0,2}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})" + _E),
    Rule("sentry-token", "cloud", ("sntrys_", "sntryu_"),
         _B + r"(?P<s>sntrys_eyJ[A-Za-z0-9+/=]{50,}_[A-Za-z0-9+/]{43}|sntryu_[a-f0-9]{64})" + _E),
    Rule("planetscale-token", "cloud", ("pscale_",), _B + r"(?P<s>pscale_(?:tkn|pw|oauth)_[\w=.\-]{32,64})" + _E),
    Rule("pulumi-token", "cloud", ("pul-",), _B + r"(?P<s>pul-[a-f0-9]{40})" + _E),
    Rule("yandex-key", "cloud", ("aqvn", "t1.", "ycaj", "ycm"),
         _B + r"(?P<s>AQVN[A-Za-z0-9_\-]{35,38}|YC[A-Za-z0-9_\-]{38}|t1\.[A-Z0-9a-z_\-]+=*\.[A-Z0-9a-z_\-]{86}=*)" + _E),
    # version control and CI
    Rule("github-pat", "github", ("ghp_",), _B + r"(?P<s>ghp_[A-Za-z0-9]{36,255})" + _E),
    Rule("github-oauth", "github", ("gho_",), _B + r"(?P<s>gho_[A-Za-z0-9]{36})" + _E),
    Rule("github-app-token", "github", ("ghu_", "ghs_"), _B + r"(?P<s>gh[us]_[A-Za-z0-9]{36})" + _E),
    Rule("github-refresh-token", "github", ("ghr_",), _B + r"(?P<s>ghr_[A-Za-z0-9]{36,76})" + _E),
    Rule("github-fine-grained-pat", "github", ("github_pat_",), _B + r"(?P<s>github_pat_\w{82})" + _E),
    Rule("gitlab-token", "gitlab", ("glpat-", "gldt-", "glrt-", "glptt-", "glft-", "glimt-", "glagent-", "glcbt-",
                                      "glsoat-", "glffct-", "gloas-", "gr1348941"),
         _B + r"(?P<s>(?:glpat|gldt|glrt|glft|glsoat|glffct)-[\w\-]{20,50}|glpat-[\w\-]{27,300}\.[0-9a-z]{2}[0-9a-z]{7}"
              r"|glptt-[\w\-]{40}|glimt-[\w\-]{25}|glagent-[\w\-]{50,1024}|glcbt-(?:[0-9a-z]{1,5}_)?[\w\-]{20,50}"
              r"|gloas-[\w\-]{64}|GR1348941[\w\-]{20,50})" + _E),
    Rule("gitlab-session-cookie", "gitlab", ("_gitlab_session=",), r"_gitlab_session=(?P<s>[0-9a-z]{32})"),
    Rule("openshift-token", "vcs", ("sha256~",), _B + r"(?P<s>sha256~[\w\-]{43})" + _E, entropy=0.6),
    Rule("sidekiq-credential", "vcs", ("contribsys",),
         r"(?i)BUNDLE_(?:ENTERPRISE|GEMS)__CONTRIBSYS__COM[\"']?\s*[=:]\s*[\"']?(?P<s>[a-f0-9]{8}:[a-f0-9]{8})(?![\w:])"
         r"|https?://(?P<s2>[a-f0-9]{8}:[a-f0-9]{8})@(?:gems|enterprise)\.contribsys\.com"),
    Rule("bitbucket-app-password", "vcs", ("atbb",), _B + r"(?P<s>ATBB[A-Za-z0-9_=.\-]{28,40})" + _E),
    Rule("atlassian-api-token", "vcs", ("atatt3", "atctt3"), _B + r"(?P<s>AT[AC]TT3[A-Za-z0-9_\-=]{150,250})"),
    Rule("sourcegraph-token", "vcs", ("sgp_", "slk_"), _B + r"(?P<s>sgp_(?:(?:[a-fA-F0-9]{16}|local)_)?[a-fA-F0-9]{40}|slk_[a-fA-F0-9]{64})" + _E),
    Rule("travisci-token", "vcs", ("travis",), r"(?i)travis[\w.\-]*?(?:token|key)[\"'`]?\s*(?:=|:)\s*[\"'`]?(?P<s>[A-Za-z0-9]{22})(?![A-Za-z0-9])"),
    Rule("octopus-deploy-key", "vcs", ("api-",), _B + r"(?P<s>API-[A-Z0-9]{26})" + _E, entropy=0.6),
    Rule("harness-token", "vcs", ("pat.", "sat."), _B + r"(?P<s>(?:pat|sat)\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{20})" + _E),
    Rule("artifactory-token", "package-registry", ("akc", "cmvmd"),
         _B + r"(?P<s>AKCp[A-Za-z0-9]{69}|cmVmd[A-Za-z0-9]{59}|AKC[A-Za-z0-9]{10,})" + _E_BASE64, entropy=0.6,
         check=has_random_segment),
    Rule("artifactory-password", "package-registry", ("ap",), _B + r"(?P<s>AP[\dABCDEF][A-Za-z0-9]{8,})" + _E_BASE64, entropy=0.72,
         check=has_random_segment, lead=0),
    # chat
    Rule("slack-token", "slack", ("xox",),
         _B + r"(?P<s>xox[abposre]-(?:\d+-)+[A-Za-z0-9]{8,}(?:-[A-Za-z0-9]+)*|xoxe(?:\.xox[bp])?-\d-[A-Za-z0-9]{100,})" + _E, entropy=0.5),
    Rule("slack-app-token", "slack", ("xapp-",), _B + r"(?P<s>xapp-\d-[A-Z0-9]+-\d+-[a-z0-9]+)" + _E, ignorecase=True),
    Rule("slack-webhook", "slack", ("hooks.slack.com",),
         r"(?P<s>(?:https?://)?hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/_\-]{20,})"),
    Rule("discord-webhook", "chat", ("discord",),
         r"(?P<s>https://(?:\w+\.)?discord(?:app)?\.com/api/webhooks/\d+/[\w\-]{60,70})"),
    Rule("discord-bot-token", "chat", ("discord",),
         r"(?<![\w.\-])(?P<s>[MNOA][A-Za-z\d]{23,25}\.[\w\-]{6}\.[\w\-]{27,38})(?![\w.\-])", entropy=0.6),
    Rule("telegram-bot-token", "chat", (":a",), r"(?<![\w:])(?P<s>\d{5,16}:A[\w\-]{34})" + _E,
         lead=16, owns=r"\d{3,}:A[\w\-]{20}"),
    Rule("teams-webhook", "chat", ("webhook.office.com", "powerplatform.com", "logic.azure.com"),
         r"(?P<s>https://[\w.\-]+(?:webhook\.office\.com/webhookb2|\.powerplatform\.com[:\d]*/powerautomate|logic\.azure\.com[:\d]*/workflows)/[^\s\"'<>]{20,})"),
    Rule("twilio-key", "twilio/sendgrid/mailchimp", ("sk", "ac"), _B + r"(?P<s>(?:SK|AC)[0-9a-fA-Fx]{32})" + _E, lead=0),
    Rule("sendgrid-key", "twilio/sendgrid/mailchimp", ("sg.",), _B + r"(?P<s>SG\.[\w\-]{20,24}\.[\w\-]{39,50})" + _E),
    Rule("mailchimp-key", "twilio/sendgrid/mailchimp", ("-us",), _B + r"(?P<s>[0-9a-f]{32}-us\d{1,2})" + _E),
    Rule("mailgun-key", "twilio/sendgrid/mailchimp", ("key-", "pubkey-"), _B + r"(?P<s>(?:pub)?key-[0-9a-z]{32})" + _E),
    Rule("sendinblue-key", "chat", ("xkeysib-",), _B + r"(?P<s>xkeysib-[a-f0-9]{64}-[a-z0-9]{16})" + _E, ignorecase=True),
    # payment
    Rule("stripe-key", "stripe", ("sk_", "rk_", "whsec_"),
         _B + r"(?P<s>(?:sk|rk)_(?:test|live|prod)_[A-Za-z0-9]{10,200}|whsec_[A-Za-z0-9]{32,})" + _E),
    Rule("square-token", "payment", ("sq0atp-", "sq0csp-", "eaaa"),
         _B + r"(?P<s>sq0(?:atp|csp)-[0-9A-Za-z\-_\\]{22,60}|EAAA[\w\-+=]{60})" + _E),
    Rule("paypal-braintree-token", "payment", ("access_token$",), r"(?P<s>access_token\$production\$[0-9a-z]{16}\$[0-9a-f]{32})"),
    Rule("flutterwave-key", "payment", ("flwseck", "flwpubk"), _B + r"(?P<s>FLW(?:SECK|PUBK)_TEST-[a-h0-9]{12,32}(?:-X)?)"),
    Rule("shopify-token", "payment", ("shpat_", "shpca_", "shppa_", "shpss_"), _B + r"(?P<s>shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32})" + _E),
    Rule("plaid-token", "payment", ("access-sandbox-", "access-development-", "access-production-"),
         r"(?P<s>access-(?:sandbox|development|production)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"),
    Rule("duffel-token", "payment", ("duffel_",), _B + r"(?P<s>duffel_(?:test|live)_[\w=\-]{43})" + _E, ignorecase=True),
    Rule("shippo-token", "payment", ("shippo_",), _B + r"(?P<s>shippo_(?:live|test)_[a-fA-F0-9]{40})" + _E),
    # AI
    Rule("openai-api-key", "openai", ("t3blbkfj",),
         _B + r"(?P<s>sk-(?:(?:proj|svcacct|admin)-[\w\-]{20,160}|[A-Za-z0-9]{20})T3BlbkFJ[\w\-]{20,160})" + _E),
    Rule("anthropic-api-key", "anthropic", ("sk-ant-",), _B + r"(?P<s>sk-ant-(?:api|admin|sid)\d\d-[\w\-]{80,120}AA)" + _E),
    Rule("huggingface-token", "huggingface", ("hf_", "api_org_"), _B + r"(?P<s>(?:hf_|api_org_)[A-Za-z]{34})" + _E, entropy=0.7),
    Rule("groq-api-key", "ai", ("gsk_",), _B + r"(?P<s>gsk_[A-Za-z0-9]{52})" + _E),
    Rule("xai-api-key", "ai", ("xai-",), _B + r"(?P<s>xai-[A-Za-z0-9_]{80})" + _E),
    Rule("perplexity-api-key", "ai", ("pplx-",), _B + r"(?P<s>pplx-[A-Za-z0-9]{48})" + _E),
    Rule("replicate-token", "ai", ("r8_",), _B + r"(?P<s>r8_[A-Za-z0-9_\-]{37})" + _E),
    Rule("langsmith-key", "ai", ("lsv2_",), _B + r"(?P<s>lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10})" + _E),
    # package registries
    Rule("npm-token", "npm/pypi", ("npm_",), _B + r"(?P<s>npm_[A-Za-z0-9]{36})" + _E, entropy=0.6),
    Rule("npmrc-auth-token", "npm/pypi", ("_authtoken",), r"_authToken\s*=\s*(?P<s>[\w\-]{20,})"),
    Rule("pypi-token", "npm/pypi", ("pypi-ageichlwas5vcmc", "pypi-ageichlwas50zxn0", "pypi-agendgvzdc5wexbplm9yzw"),
         _B + r"(?P<s>pypi-AgE(?:[IN]cHlwaS5(?:vcmc|0ZXN0)|NdGVzdC5weXBpLm9yZw)[\w\-]{50,})"),
    Rule("rubygems-key", "npm/pypi", ("rubygems_",), _B + r"(?P<s>rubygems_[a-f0-9]{48})" + _E),
    Rule("clojars-token", "npm/pypi", ("clojars_",), _B + r"(?P<s>CLOJARS_[a-z0-9]{60})" + _E, ignorecase=True),
    Rule("nuget-key", "npm/pypi", ("oy2",), _B + r"(?P<s>oy2[a-z0-9]{43})" + _E),
    Rule("docker-auth", "package-registry", ('auths\\', 'auths"'),  # a docker config, plain or escaped in a string
         r'auths\\*"\s*:\s*\{.{0,300}?\\*"auth\\*"\s*:\s*\\*"(?P<s>[A-Za-z0-9+/]{16,}={0,2})\\*"', entropy=0.55,
         multiline=True),
    # services with distinctive prefixes
    Rule("1password-token", "1password", ("ops_ey", "a3-"),
         _B + r"(?P<s>ops_eyJ[A-Za-z0-9+/]{250,}={0,3}|A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5})"),
    Rule("age-secret-key", "private-key", ("age-secret-key-1",), r"(?P<s>AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})"),
    Rule("linear-api-key", "saas", ("lin_api_",), _B + r"(?P<s>lin_api_[A-Za-z0-9]{40})" + _E),
    Rule("postman-key", "saas", ("pmak-",), _B + r"(?P<s>PMAK-[a-f0-9]{24}-[a-f0-9]{34})" + _E, ignorecase=True),
    Rule("notion-token", "saas", ("ntn_", "secret_"), _B + r"(?P<s>ntn_\d{11}[A-Za-z0-9]{35}|secret_[A-Za-z0-9]{43})" + _E),
    Rule("contentful-token", "saas", ("cfpat-",), _B + r"(?P<s>CFPAT-[\w=\-]{43})" + _E),
    Rule("dropbox-token", "saas", ("sl.",), _B + r"(?P<s>sl\.[A-Za-z0-9\-=_]{135,})"),
    Rule("facebook-app-token", "saas", ("facebook",),
         r"(?i)facebook.{0,40}?(?<![\w|])(?P<s>\d{15,16}\|[\w\-]{27})" + _E, entropy=0.6),
    Rule("easypost-key", "saas", ("ezak", "eztk"), _B + r"(?P<s>EZ[AT]K[A-Za-z0-9]{54})" + _E),
    Rule("facebook-token", "saas", ("eaa",), _B + r"(?P<s>EAA[MC][A-Za-z0-9]{100,})" + _E),
    Rule("mapbox-token", "saas", ("sk.ey", "pk.ey"), _B + r"(?P<s>[sp]k\.eyJ[A-Za-z0-9_\-]{40,}\.[A-Za-z0-9_\-]{20,})" + _E),
    Rule("typeform-token", "saas", ("tfp_",), _B + r"(?P<s>tfp_[A-Za-z0-9\-_.=]{59})" + _E),
    Rule("readme-key", "saas", ("rdme_",), _B + r"(?P<s>rdme_[a-z0-9]{70})" + _E),
    Rule("prefect-key", "saas", ("pnu_",), _B + r"(?P<s>pnu_[A-Za-z0-9]{36})" + _E, entropy=0.6),
    Rule("infracost-key", "saas", ("ico-",), _B + r"(?P<s>ico-[A-Za-z0-9]{32})" + _E, entropy=0.6),
    Rule("scalingo-token", "saas", ("tk-us-",), _B + r"(?P<s>tk-us-[\w\-]{48})" + _E),
    Rule("frameio-token", "saas", ("fio-u-",), _B + r"(?P<s>fio-u-[\w=\-]{64})" + _E),
    Rule("defined-networking-key", "saas", ("dnkey-",), _B + r"(?P<s>dnkey-[a-z0-9=_\-]{26}-[a-z0-9=_\-]{52})" + _E),
    Rule("intra42-secret", "saas", ("s-s4t2",), _B + r"(?P<s>s-s4t2(?:ud|af)-[a-f0-9]{64})" + _E),
    Rule("settlemint-token", "saas", ("sm_pat_", "sm_aat_", "sm_sat_"), _B + r"(?P<s>sm_(?:pat|aat|sat)_[A-Za-z0-9]{16})" + _E,
         owns=r"sm_(?:pat|aat|sat)_"),
    Rule("beamer-key", "saas", ("b_",), r"(?i)beamer[\w.\-]*[\"'`]?\s*(?:=|:)\s*[\"'`]?(?P<s>b_[a-z0-9=_\-]{44})"),
    # private keys, JWTs, connection strings
    Rule("private-key", "private-key", ("-----begin",),
         r"(?P<s>-----BEGIN[ A-Z0-9_\-]{0,100}PRIVATE KEY(?: BLOCK)?-----\s*(?:[^\-\s][^\-]{19,}?)(?:-----END[ A-Z0-9_\-]{0,100}PRIVATE KEY(?: BLOCK)?-----|$))",
         multiline=True, check=has_key_body),
    Rule("kubernetes-secret-data", "cloud", ("apiversion:",),  # a value under `data:` of a `kind: Secret`
         r"(?i)apiVersion:(?=(?:(?!\n---).){0,2000}?\n\s*kind:\s*[\"']?secret\b)(?:(?!\n---).){0,2000}?\n\s*data:\s*\n"
         r"\s+[\"']?[\w.\-]+[\"']?:\s*[|>]?\s*[\"']?(?P<s>[A-Za-z0-9+/]{12,}={0,2})(?![\w+/=])", entropy=0.6, multiline=True),
    Rule("putty-private-key", "private-key", ("putty-user-key-file-",), r"(?P<s>PuTTY-User-Key-File-\d: [^\n]+)"),
    Rule("jwt", "jwt", ("eyj",),
         _B + r"(?P<s>eyJ[A-Za-z0-9_\-]{8,}={0,2}\.eyJ[A-Za-z0-9_\-]{4,}={0,2}\.?[A-Za-z0-9_\-.+/]*={0,2})", entropy=0.6, check=is_jwt),
    Rule("connection-string-password", "db-uri", ("://",),
         r"(?i)\b(?:[a-z][a-z0-9+.\-]{1,30})://(?:[^:/\s@\"'<>]{1,100}):(?P<s>[^@/\s\"'<>]{3,200})@[\w.\-\[\]:%]+", entropy=0.0, generic=True),
    Rule("jdbc-password", "db-uri", ("password=", "pwd="),
         r"(?i)(?:jdbc:|Server=|Data Source=|Host=)[^\n\"']*?;?\s*(?:password|pwd)\s*=\s*(?P<s>[^;\s\"'&]{4,})", generic=True),
    # context rules: a credential-like name given a random-looking value
    Rule("generic-secret", "generic-password/keyword", _GENERIC_KEYWORDS,
         r"(?i)" + _NAME_START + r"(?P<name>" + _SECRET_NAME + r"[\w.\-]*)" + _ASSIGN + _VALUE,
         entropy=0.72, generic=True, lead=len("private_")),
    Rule("generic-secret-comparison", "generic-password/keyword", _GENERIC_KEYWORDS,
         r"""(?i)(?P<q>["'`])(?P<s>[^"'`\s]{6,200})(?P=q)\s*[!=]==?\s*(?P<name>[\w.\-]*""" + _SECRET_NAME + r"[\w.\-]*)",
         entropy=0.72, generic=True),
    Rule("generic-secret-argument", "generic-password/keyword", _GENERIC_KEYWORDS,
         r"""(?i)["'](?P<name>[\w.\-]{0,40}""" + _SECRET_NAME + r"""[\w.\-]{0,40})["']\s*,\s*(?P<q>["'])(?P<s>[^"'\s]{8,200})(?P=q)""",
         entropy=0.72, generic=True),
    Rule("credential-getter", "generic-password/keyword", _GENERIC_KEYWORDS,
         r"""(?i)(?P<name>get\w{0,40}?""" + _SECRET_NAME + r"""\w*)\s*\([^)\n]*\)[^{\n]{0,30}\{\s*return\s+(?P<q>["'])(?P<s>[^"'\s]{8,200})(?P=q)""",
         entropy=0.72, generic=True),
    Rule("credential-element", "generic-password/keyword", ("<secret", "<password", "<token", "<apikey", "<api_key"),
         r"(?i)<(?:secret|password|token|api_?key)[^>]*>\s*\{?(?:[^\s<>{}]+\s+){0,3}(?P<s>[^\s<>{}]{8,300})\}?\s*</", entropy=0.72, generic=True),
    Rule("cli-credential-flag", "generic-password/keyword", ("--token", "--password", "--api-key", "--secret"),
         r"(?i)--(?:token|password|api-key|secret)[ =][\"']?(?P<s>[^\s\"']{8,200})", entropy=0.72, generic=True),
    Rule("cli-basic-auth", "generic-password/keyword", ("-u ", "--user "),
         r"""(?:\s-u|--user)\s+["']?\{?[^\s:"'{}]*\}?["']?:["']?\{?(?P<s>[^\s"'{}]{6,200})""", entropy=0.72, generic=True),
    Rule("authorization-header", "generic-password/keyword", ("bearer", "basic", "token "),
         r"(?i)(?:bearer|basic|token)\s+(?P<s>[A-Za-z0-9_\-.~+/]{20,}={0,2})", entropy=0.72, generic=True),
)
