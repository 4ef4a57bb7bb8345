//! The EXAMPLES section that ends every command's `--help`.

/// The top-level command's examples and exit codes.
pub const ROOT: &str = "\
Examples:
  pressone-esim demo                                   # a tour in the embedded sandbox
  pressone-esim packages list --country NG             # no credentials: the embedded sandbox
  pressone-esim --profile prod balance                 # settings from config.toml
  pressone-esim -o json orders list --limit 5 | jq '.[].code'

Exit codes: 0 success, 1 other failure, 2 usage or configuration error, \
3 authentication failed, 4 rejected by the API, 5 not found, 6 rate limited, \
7 network/timeout/server error (nothing was changed), 8 unreadable response, \
9 a write (order, top-up, claim, renew) may have been carried out: check before trying again, \
10 `sims watch --once`: at least one eSIM is below the level.
Commands that handle many items (create-many, sims usage) print every item and exit with the \
most serious item's code (9, then 3, 2, 8, 7, 6, 4, 5, 1).";

/// `balance`.
pub const BALANCE: &str =
    "Examples:\n  pressone-esim balance\n  pressone-esim -o json balance | jq -r '.[0].amount'";
/// `devices`.
pub const DEVICES: &str =
    "Examples:\n  pressone-esim devices\n  pressone-esim -o csv devices > devices.csv";
/// `packages list`.
pub const PACKAGES_LIST: &str = "Examples:\n  pressone-esim packages list --country NG\n  pressone-esim packages list --type global --include-topups --language fr\n  pressone-esim -o tsv packages list --limit 20";
/// `orders create`.
pub const ORDERS_CREATE: &str = "Examples:\n  pressone-esim orders create --package kallur-digital-7days-1gb --description shop-1042\n  pressone-esim orders create --package kallur-digital-7days-1gb --quantity 2 \\\n      --email-to ada@example.com --sharing-option link --sharing-option pdf --copy-to ops@example.com\n\nWithout --description a unique reference (cli-<time>-<random>) is generated and printed.\nExit 9 means the order may exist: run `pressone-esim orders find --description REF`.";
/// `orders list`.
pub const ORDERS_LIST: &str = "Examples:\n  pressone-esim orders list --status completed --limit 10\n  pressone-esim orders list --created-from 2025-03-01 --created-to 2025-03-31 -o csv";
/// `orders find`.
pub const ORDERS_FIND: &str = "Examples:\n  pressone-esim orders find --description shop-1042";
/// `orders get`.
pub const ORDERS_GET: &str = "Examples:\n  pressone-esim orders get 1001";
/// `sims list`.
pub const SIMS_LIST: &str = "Examples:\n  pressone-esim sims list --limit 20\n  pressone-esim sims list --created-from 2025-03-01 --created-to 2025-03-31 -o json";
/// `sims get`.
pub const SIMS_GET: &str = "Examples:\n  pressone-esim sims get 8923410369565070438";
/// `sims usage`.
pub const SIMS_USAGE: &str = "Examples:\n  pressone-esim sims usage 8923410369565070438\n  pressone-esim sims usage --from-file iccids.txt --concurrency 4 -o csv\n  cut -d, -f1 customers.csv | pressone-esim sims usage --from-file - -o json\n\nOne ICCID prints one object; several (or --from-file) print one row per ICCID, in input order.";
/// `sims watch`.
pub const SIMS_WATCH: &str = "Examples:\n  pressone-esim sims watch --from-file iccids.txt --below 20%\n  pressone-esim sims watch 8923410369565070438 --below 500MB --once || notify-team\n\nExit codes with --once: 0 every eSIM is above the level, 10 at least one is below\n(a failed check exits with its own code instead). Unlimited plans never alert.";
/// `orders create-many`.
pub const ORDERS_CREATE_MANY: &str = "Examples:\n  pressone-esim orders create-many --file orders.csv\n  pressone-esim orders create-many --file orders.csv --journal /var/lib/shop/orders.jsonl -o json\n\nThe CSV has a header: package_id,quantity[,description][,email_to][,brand] (email_to: the eSIMs\nare e-mailed as a link). A line without a description gets a stable generated one\n(bulk-<hash of the file's path, line number and text>).\nEach line is recorded in the journal (default <file>.journal.jsonl) before it is sent. Exit 9:\nsome line may have been placed; run the same command again: it looks such lines up by their\ndescription and never sends them twice.";
/// `topups create-many`.
pub const TOPUPS_CREATE_MANY: &str = "Examples:\n  pressone-esim topups create-many --file topups.csv\n\nThe CSV has a header: iccid,package_id[,description]. Same journal and reruns as\n`orders create-many`.";
/// `packages export`.
pub const PACKAGES_EXPORT: &str = "Examples:\n  pressone-esim packages export --out catalogue.csv\n  pressone-esim packages export --currency EUR --markup 25% --round .99 --out eur.csv\n  pressone-esim packages export --format jsonl --markup 1.50 --min-margin 2 --out today.jsonl\n\n--round .99 rounds up to the next price ending in .99; --round 0.50 rounds up to a multiple\nof 0.50. Retail prices are never below the net price.";
/// `packages diff`.
pub const PACKAGES_DIFF: &str = "Examples:\n  pressone-esim packages diff yesterday.jsonl today.jsonl\n  pressone-esim -o csv packages diff yesterday.jsonl today.jsonl > changes.csv";
/// `sims instructions`.
pub const SIMS_INSTRUCTIONS: &str =
    "Examples:\n  pressone-esim sims instructions 8923410369565070438 --language fr";
/// `sims topups`.
pub const SIMS_TOPUPS: &str = "Examples:\n  pressone-esim sims topups 8923410369565070438";
/// `sims history`.
pub const SIMS_HISTORY: &str = "Examples:\n  pressone-esim sims history 8923410369565070438\n  pressone-esim sims history 8923410369565070438 --fresh\n\nThe API allows one history request per eSIM per 15 minutes: answers are kept in the cache\ndirectory for 15 minutes and shared by every run (--fresh asks the server again).";
/// `sims qr`.
pub const SIMS_QR: &str =
    "Examples:\n  pressone-esim sims qr 8923410369565070438 --out esim.png --show";
/// `sims install-link`.
pub const SIMS_INSTALL_LINK: &str =
    "Examples:\n  pressone-esim sims install-link 8923410369565070438";
/// `topups create`.
pub const TOPUPS_CREATE: &str = "Examples:\n  pressone-esim topups create --iccid 8923410369565070438 --package change-7days-1gb-topup\n\nWithout --description a unique reference is generated and printed.\nExit 9 means the top-up may exist: run `pressone-esim orders find --description REF`.";
/// `numbers available`.
pub const NUMBERS_AVAILABLE: &str =
    "Examples:\n  pressone-esim numbers available --country NG --limit 5";
/// `numbers claim`.
pub const NUMBERS_CLAIM: &str = "Examples:\n  pressone-esim numbers claim --number +2342011111270 --email ada@example.com --first-name Ada\n\nExit 9 means the claim may have been carried out: run `pressone-esim users list --email E`.";
/// `numbers renew`.
pub const NUMBERS_RENEW: &str = "Examples:\n  pressone-esim numbers renew --email ada@example.com\n\nExit 9 means the renewal may have been carried out: run `pressone-esim users list --email E`.";
/// `users list`.
pub const USERS_LIST: &str = "Examples:\n  pressone-esim users list --email ada@example.com";
/// `sandbox`.
pub const SANDBOX: &str = "Examples:\n  pressone-esim sandbox --port 8080 --seed 7\n  pressone-esim sandbox activate 8944465400000267221\n  pressone-esim sandbox consume 8944465400000267221 --data-mb 500\n  pressone-esim sandbox clock advance 15m\n  pressone-esim sandbox fault set --error-rate 1 --error-status 503 --only submit_order\n  pressone-esim sandbox order-status 1001 refunded\n  pressone-esim sandbox state --url http://127.0.0.1:8080";
/// `demo`.
pub const DEMO: &str = "Examples:\n  pressone-esim demo\n  pressone-esim demo -o json --out qr.svg";
/// `config show`.
pub const CONFIG_SHOW: &str = "Examples:\n  pressone-esim config show\n  pressone-esim --profile prod config show -o json\n\nThe config file (PRESSONE_CONFIG, default <config dir>/pressone-esim/config.toml):\n\n  [profiles.prod]\n  base_url = \"https://api.example.com\"\n  client_id = \"my-client-id\"\n  # client_secret = \"...\"   (the file must then be readable by you only: chmod 600)";
/// `completions`.
pub const COMPLETIONS: &str = "Examples:\n  pressone-esim completions bash > ~/.local/share/bash-completion/completions/pressone-esim\n  pressone-esim completions zsh > \"${fpath[1]}/_pressone-esim\"";
/// `man`.
pub const MAN: &str = "Examples:\n  pressone-esim man > pressone-esim.1 && man ./pressone-esim.1";
/// `packages`.
pub const PACKAGES: &str = "Examples:\n  pressone-esim packages list --country NG";
/// `orders`.
pub const ORDERS: &str = "Examples:\n  pressone-esim orders create --package kallur-digital-7days-1gb --description shop-1042\n  pressone-esim orders find --description shop-1042\n  pressone-esim orders list --limit 10";
/// `sims`.
pub const SIMS: &str = "Examples:\n  pressone-esim sims list --limit 10\n  pressone-esim sims install-link 8923410369565070438\n  pressone-esim sims history 8923410369565070438";
/// `topups`.
pub const TOPUPS: &str = "Examples:\n  pressone-esim topups create --iccid 8923410369565070438 --package change-7days-1gb-topup";
/// `numbers`.
pub const NUMBERS: &str = "Examples:\n  pressone-esim numbers available --country NG\n  pressone-esim numbers claim --number +2342011111270 --email ada@example.com";
/// `users`.
pub const USERS: &str = "Examples:\n  pressone-esim users list --email ada@example.com";
/// `config`.
pub const CONFIG: &str = "Examples:\n  pressone-esim config show";
