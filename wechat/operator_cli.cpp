// Command-line wiring of the WeChat operator tools. The flags are part of the interface:
// scripts rely on them (issue 3), so change them only with those scripts.
#include "wechat/operator_cli.hpp"

#include "server/config.hpp"
#include "wechat/api_config.hpp"
#include "wechat/menu_command.hpp"

#include "server/json.hpp"
#include "wechat/cli_tools.hpp"
#include "wechat/sim_login.hpp"
#include "wechat/simulator.hpp"

#include <CLI/CLI.hpp>

#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

namespace bense::wechat {
namespace {

std::string now_text() {
    auto const since = std::chrono::system_clock::now().time_since_epoch();
    return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(since).count());
}

// The "wechat.oa" block of a config file; other sections are not this tool's business.
result<EndpointConfig, std::string> read_oa_endpoint(std::string const& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return "cannot open " + path;
    }
    std::stringstream buf;
    buf << in.rdbuf();
    auto doc = server::parse_jsonc(buf.str());
    if (!doc) {
        return path + ": " + doc.error();
    }
    static rapidjson::Value const kEmpty(rapidjson::kObjectType);
    auto it = doc->IsObject() ? doc->FindMember("wechat") : doc->MemberEnd();
    bool const found = doc->IsObject() && it != doc->MemberEnd();
    server::JsonObjectReader r(found ? it->value : kEmpty, "/wechat");
    GatewayConfig config;
    read_gateway_config(r, config);
    r.finish();
    if (!r.ok()) {
        return path + ": " + r.error();
    }
    return config.oa;
}

}  // namespace

struct OperatorCommands::State {
    std::vector<std::string> other_sections;
    CLI::App* sign = nullptr;
    CLI::App* decrypt = nullptr;
    CLI::App* encrypt = nullptr;
    std::vector<CLI::App*> sims;
    WxSignArgs sign_args;
    WxDecryptArgs decrypt_args;
    WxEncryptArgs encrypt_args;
    std::string encrypt_timestamp;
    SimArgs sim_args;
    std::string sim_config = "config/bense.example.jsonc";
    CLI::App* sim_requests = nullptr;
    int sim_count = 1000;
    CLI::App* sim_login = nullptr;
    SimLoginArgs login_args;
    CLI::App* menu = nullptr;
    std::string menu_config = "config/bense.example.jsonc";
    std::string menu_file = "config/menu.json";
    bool menu_check_only = false;
};

OperatorCommands::OperatorCommands(CLI::App& app, std::vector<std::string> other_sections)
    : state_(std::make_unique<State>()) {
    auto& s = *state_;
    s.other_sections = std::move(other_sections);
    auto* wx = app.add_subcommand("wx", "WeChat tools: sign, decrypt, encrypt, menu");
    wx->require_subcommand(1);

    s.sign = wx->add_subcommand("sign", "Print a callback signature (msg_signature with --encrypt)");
    s.sign->add_option("--token", s.sign_args.token, "Token")->required();
    s.sign->add_option("--timestamp", s.sign_args.timestamp, "timestamp")->required();
    s.sign->add_option("--nonce", s.sign_args.nonce, "nonce")->required();
    s.sign->add_option("--encrypt", s.sign_args.encrypt, "Encrypt text of the body");

    s.decrypt = wx->add_subcommand("decrypt", "Decrypt a callback body read from stdin");
    s.decrypt->add_option("--aes-key", s.decrypt_args.aes_key, "EncodingAESKey")->required();
    s.decrypt->add_option("--appid", s.decrypt_args.appid, "App id")->required();
    s.decrypt->add_option("--token", s.decrypt_args.token, "Token (to check msg_signature)");
    s.decrypt->add_option("--timestamp", s.decrypt_args.timestamp, "timestamp");
    s.decrypt->add_option("--nonce", s.decrypt_args.nonce, "nonce");
    s.decrypt->add_option("--msg-signature", s.decrypt_args.msg_signature, "msg_signature");

    s.encrypt = wx->add_subcommand("encrypt", "Encrypt a reply read from stdin into reply XML");
    s.encrypt->add_option("--aes-key", s.encrypt_args.aes_key, "EncodingAESKey")->required();
    s.encrypt->add_option("--appid", s.encrypt_args.appid, "App id")->required();
    s.encrypt->add_option("--token", s.encrypt_args.token, "Token")->required();
    s.encrypt->add_option("--timestamp", s.encrypt_timestamp, "timestamp (default: now)");
    s.encrypt->add_option("--nonce", s.encrypt_args.nonce, "nonce")->required();
    s.encrypt->add_option("--random", s.encrypt_args.random, "16 characters used as the random bytes");

    s.menu = wx->add_subcommand("menu", "Check config/menu.json and publish it to the official account");
    s.menu->add_option("--config", s.menu_config, "Config file with wechat_api and redis")->capture_default_str();
    s.menu->add_option("--file", s.menu_file, "Menu in the API's JSON format")->capture_default_str();
    s.menu->add_flag("--check", s.menu_check_only, "Only check the menu; send nothing");

    auto* sim = app.add_subcommand("sim", "Play the WeChat server against a running Bense");
    sim->require_subcommand(1);
    struct Variant {
        char const* name;
        char const* help;
        char const* content_flag;
        char const* content_help;
        bool content_required;
    };
    static constexpr Variant kVariants[] = {
        {"text", "Send a text message", "--content", "The words", true},
        {"voice", "Send a voice message", "--recognition", "WeChat's speech-to-text (may be empty)", false},
        {"click", "Click a menu button", "--key", "The button's key", true},
        {"subscribe", "Follow the account", "--scene", "QR scene (without qrscene_)", false},
        {"scan", "Scan a QR code while following", "--scene", "QR scene", true},
    };
    s.sim_requests = sim->add_subcommand("requests", "Print N signed text callbacks for a load generator");
    s.sim_requests->add_option("--config", s.sim_config, "Config file with the wechat.oa block")->capture_default_str();
    s.sim_requests->add_option("--count", s.sim_count, "How many")->capture_default_str();
    s.sim_requests->add_option("--content", s.sim_args.content, "The words")->capture_default_str();
    s.sim_requests->add_flag("--safe", s.sim_args.safe, "Encrypt (safe mode)");
    s.sim_login = sim->add_subcommand("login", "Log in as the mini-program does (a wx.login code from the fake)");
    s.sim_login->add_option("--openid", s.login_args.openid, "The mini-program user's openid")->required();
    s.sim_login->add_option("--unionid", s.login_args.unionid, "Their unionid (none by default)");
    s.sim_login->add_option("--url", s.login_args.url, "Bense's base URL")->capture_default_str();
    s.sim_login->add_option("--fake", s.login_args.fake, "The fake WeChat's base URL")->capture_default_str();
    s.sim_login->add_option("--cert", s.login_args.cert, "The fake's certificate (PEM)")->capture_default_str();
    for (auto const& v : kVariants) {
        auto* cmd = sim->add_subcommand(v.name, v.help);
        cmd->add_option("--config", s.sim_config, "Config file with the wechat.oa block")->capture_default_str();
        cmd->add_option("--url", s.sim_args.url, "Bense's base URL")->capture_default_str();
        cmd->add_option("--openid", s.sim_args.openid, "The sender")->capture_default_str();
        cmd->add_option("--msg-id", s.sim_args.msg_id, "MsgId (repeat one to play a retry)");
        cmd->add_flag("--safe", s.sim_args.safe, "Safe mode: encrypt the callback, decrypt the reply");
        auto* content = cmd->add_option(v.content_flag, s.sim_args.content, v.content_help);
        if (v.content_required) {
            content->required();
        }
        s.sims.push_back(cmd);
    }
}

OperatorCommands::~OperatorCommands() = default;

std::optional<int> OperatorCommands::run() const {
    auto& s = *state_;
    if (s.sign->parsed()) {
        return wx_sign(s.sign_args, std::cout, std::cerr);
    }
    if (s.menu->parsed()) {
        ApiConfig api;
        server::SectionParsers sections{
            {"wechat_api", [&api](server::JsonObjectReader& r) { read_api_config(r, api); }},
            {"wechat", [](server::JsonObjectReader& r) { r.accept_all_keys(); }}};
        for (auto const& name : s.other_sections) {
            sections.emplace(name, [](server::JsonObjectReader& r) { r.accept_all_keys(); });
        }
        auto config = server::load_config(s.menu_config, sections);
        if (!config) {
            std::cerr << "bense wx menu: " << config.error() << "\n";
            return 2;
        }
        return run_menu_command(api, config->redis, s.menu_file, s.menu_check_only);
    }
    if (s.decrypt->parsed()) {
        return wx_decrypt(s.decrypt_args, std::cin, std::cout, std::cerr);
    }
    if (s.encrypt->parsed()) {
        auto args = s.encrypt_args;
        args.timestamp = s.encrypt_timestamp.empty() ? now_text() : s.encrypt_timestamp;
        return wx_encrypt(args, std::cin, std::cout, std::cerr);
    }
    if (s.sim_requests->parsed()) {
        auto endpoint = read_oa_endpoint(s.sim_config);
        if (!endpoint) {
            std::cerr << "sim: " << endpoint.error() << "\n";
            return 2;
        }
        auto args = s.sim_args;
        args.kind = "text";
        return write_sim_requests(args, *endpoint, s.sim_count, std::cout, std::cerr);
    }
    if (s.sim_login->parsed()) {
        return run_sim_login(s.login_args, std::cout, std::cerr);
    }
    for (auto* cmd : s.sims) {
        if (cmd->parsed()) {
            auto endpoint = read_oa_endpoint(s.sim_config);
            if (!endpoint) {
                std::cerr << "sim: " << endpoint.error() << "\n";
                return 2;
            }
            auto args = s.sim_args;
            args.kind = cmd->get_name();
            return run_sim(args, *endpoint, std::cout, std::cerr);
        }
    }
    return std::nullopt;
}

}  // namespace bense::wechat
