// The composition root: the one file that knows every module. It reads the command line,
// builds the runtime (config, texts, routes, Redis functions) and runs a subcommand.
#include "handlers/module.hpp"
#include "handlers/roster_cli.hpp"
#include "server/config.hpp"
#include "server/health_routes.hpp"
#include "server/http_server.hpp"
#include "server/logging.hpp"
#include "server/runtime.hpp"
#include "server/templates.hpp"
#include "wechat/access_token.hpp"
#include "wechat/api_config.hpp"
#include "wechat/api_services.hpp"
#include "wechat/fake_wechat.hpp"
#include "wechat/late_replies.hpp"
#include "wechat/operator_cli.hpp"

#include <CLI/CLI.hpp>
#include <boost/asio/signal_set.hpp>
#include <spdlog/spdlog.h>

#include <malloc.h>

#include <cstdio>
#include <iostream>

namespace {

using namespace bense;

// The config sections of the modules below the domain; filled while the file is read.
struct ModuleConfigs {
    wechat::ApiConfig api;
    handlers::Settings handlers;
};

server::SectionParsers config_sections(ModuleConfigs& modules) {
    auto sections = handlers::config_sections(modules.handlers);
    sections.emplace("wechat_api",
                     [&modules](server::JsonObjectReader& r) { wechat::read_api_config(r, modules.api); });
    return sections;
}

std::vector<server::TemplateNeed> all_template_needs() {
    auto needs = server::server_template_needs();
    for (auto& n : handlers::template_needs()) {
        needs.push_back(std::move(n));
    }
    return needs;
}

// Loads config and templates and builds the route table. With `for_serving`, also checks
// what only a running server needs (e.g. the trusted certificate file of wechat_api).
// Prints what is wrong and returns nullptr when anything is.
std::shared_ptr<server::Runtime> build_runtime(std::string const& config_path, bool for_serving) {
    ModuleConfigs modules;
    auto config = server::load_config(config_path, config_sections(modules));
    if (!config) {
        std::cerr << "bense: " << config.error() << "\n";
        return nullptr;
    }
    auto runtime = std::make_shared<server::Runtime>();
    runtime->config = std::move(*config);
    auto templates = server::Templates::load_dir(runtime->config.templates_dir);
    if (!templates) {
        std::cerr << "bense: " << templates.error() << "\n";
        return nullptr;
    }
    auto problems = templates->check(all_template_needs());
    if (!problems.empty()) {
        for (auto const& p : problems) {
            std::cerr << "bense: " << runtime->config.templates_dir << ": " << p << "\n";
        }
        return nullptr;
    }
    runtime->templates = std::move(*templates);
    server::add_health_routes(runtime->router);
    handlers::add_routes(runtime->router, modules.handlers);
    runtime->redis_libraries.push_back(server::server_redis_library());
    runtime->redis_libraries.push_back(wechat::token_redis_library());
    if (for_serving && modules.api.enabled) {
        auto setup = wechat::make_api_setup(modules.api);
        if (!setup) {
            std::cerr << "bense: " << setup.error() << "\n";
            return nullptr;
        }
        runtime->worker_setup.push_back(std::move(*setup));
        // Replies the gateway could not give in time go out as customer-service messages.
        runtime->worker_setup.push_back(&wechat::start_late_reply_sender);
    }
    for (auto& setup : handlers::worker_setup()) {
        runtime->worker_setup.push_back(std::move(setup));
    }
    for (auto lib : handlers::redis_libraries()) {
        runtime->redis_libraries.push_back(lib);
    }
    return runtime;
}

// Under load the workers' memory comes and goes by the megabyte (coroutine frames, request and
// reply buffers, batches to Redis). By default glibc hands the freed top of a thread's heap back
// to the kernel at once (madvise) and takes it back a moment later (page faults): on the award
// route that was about a quarter of the server's CPU. A server keeps what it has needed once.
// Setting the trim threshold turns off glibc's moving mmap threshold, so that one is set too.
void keep_freed_memory() {
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_TOP_PAD, 4 << 20);
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
}

int serve(std::string const& config_path) {
    keep_freed_memory();
    auto runtime = build_runtime(config_path, true);
    if (!runtime) {
        return 2;
    }
    server::init_logging(runtime->config.log.level);
    server::HttpServer http(runtime);
    try {
        http.start();
    } catch (std::exception const& e) {
        spdlog::critical("cannot start: {}", e.what());
        return 1;
    }
    std::printf("bense: listening on http://%s:%u (try: curl http://%s:%u/healthz)\n",
                runtime->config.server.listen.c_str(), http.port(),
                runtime->config.server.listen.c_str(), http.port());
    std::fflush(stdout);

    net::io_context signals_ioc(1);
    net::signal_set signals(signals_ioc, SIGINT, SIGTERM);
    signals.async_wait([&](error_code ec, int signo) {
        if (!ec) {
            spdlog::info("signal {}: finishing requests in flight, then stopping", signo);
        }
    });
    signals_ioc.run();
    bool const drained = http.shutdown();
    spdlog::info("stopped{}", drained ? "" : " (some requests were cut off)");
    return 0;
}

int check_config(std::string const& path) {
    if (!build_runtime(path, false)) {
        return 2;
    }
    std::cout << path << ": ok\n";
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"bense: the backend of 本色家园"};
    app.require_subcommand(1);

    std::string serve_config = "config/bense.example.jsonc";
    auto* serve_cmd = app.add_subcommand("serve", "Run the HTTP server");
    serve_cmd->add_option("-c,--config", serve_config, "Config file (JSON with comments)")
        ->check(CLI::ExistingFile);

    std::string check_path;
    auto* check_cmd = app.add_subcommand("check-config", "Validate a config file and its templates");
    check_cmd->add_option("file", check_path, "Config file")->required()->check(CLI::ExistingFile);

    std::uint16_t fake_port = 8443;
    std::string fake_cert = "var/fake-wechat/cert.pem";
    auto* fake_cmd = app.add_subcommand("fake-wechat", "Run the fake WeChat API on loopback (local runs)");
    fake_cmd->add_option("--port", fake_port, "Port on 127.0.0.1")->capture_default_str();
    fake_cmd->add_option("--cert-file", fake_cert, "Where to write its certificate")->capture_default_str();

    std::vector<std::string> domain_sections;
    {
        handlers::Settings unused;
        for (auto const& [name, parser] : handlers::config_sections(unused)) {
            domain_sections.push_back(name);
        }
    }
    wechat::OperatorCommands wechat_tools(app, domain_sections);  // wx sign|decrypt|encrypt, menu, sim
    handlers::RosterCommands roster_tools(app, {"wechat_api"});  // roster, admin token, points export

    CLI11_PARSE(app, argc, argv);
    if (auto code = wechat_tools.run()) {
        return *code;
    }
    if (auto code = roster_tools.run()) {
        return *code;
    }
    if (serve_cmd->parsed()) {
        return serve(serve_config);
    }
    if (check_cmd->parsed()) {
        return check_config(check_path);
    }
    if (fake_cmd->parsed()) {
        return wechat::run_fake_wechat(fake_port, fake_cert);
    }
    return 0;
}
