// Inbound message parsing. XML (pugixml) and JSON (RapidJSON) walkers both reduce a push to
// Message::fields (leaf name -> raw text) plus the repeated parts (List, PicMd5Sum); the typed
// members are then filled from that map in one place, so both formats behave the same.
#include "wechat/message.hpp"

#include "server/utf8.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <pugixml.hpp>
#include <stdexcept>
#include <utility>

namespace bense::wechat {

using server::is_valid_utf8;
using server::trim_space;

namespace {

using boost::system::error_code;

// WeChat pushes nest at most 4 levels; anything deeper is hostile or broken.
constexpr int kMaxDepth = 16;

// Whether the text declares a DOCTYPE or an ENTITY, in any letter case: one pass looking
// for "<!", then a case-blind compare of what follows.
bool has_declaration(std::string_view text) {
    auto const upper_is = [](std::string_view s, std::string_view upper) {
        if (s.size() < upper.size()) {
            return false;
        }
        for (std::size_t i = 0; i < upper.size(); ++i) {
            char const c = s[i];
            if ((c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c) != upper[i]) {
                return false;
            }
        }
        return true;
    };
    for (auto at = text.find("<!"); at != std::string_view::npos; at = text.find("<!", at + 2)) {
        auto const rest = text.substr(at + 2);
        if (upper_is(rest, "DOCTYPE") || upper_is(rest, "ENTITY")) {
            return true;
        }
    }
    return false;
}

bool is_subscribe_msg_event(std::string_view event) {
    return event == "subscribe_msg_popup_event" || event == "subscribe_msg_change_event" ||
           event == "subscribe_msg_sent_event";
}

struct ListField {
    char const* name;
    std::string SubscribeMsgStatus::*member;
};

constexpr ListField kListFields[] = {
    {"TemplateId", &SubscribeMsgStatus::template_id},
    {"SubscribeStatusString", &SubscribeMsgStatus::status},
    {"PopupScene", &SubscribeMsgStatus::popup_scene},
    {"MsgID", &SubscribeMsgStatus::msg_id},
    {"MsgId", &SubscribeMsgStatus::msg_id},
    {"ErrorCode", &SubscribeMsgStatus::error_code},
    {"ErrorStatus", &SubscribeMsgStatus::error_status},
};

void set_subscription_field(SubscribeMsgStatus& entry, std::string_view name, std::string value) {
    for (auto const& field : kListFields) {
        if (name == field.name) {
            entry.*field.member = std::move(value);
            return;
        }
    }
}

// The leaves a walk has met, repeats included, against kMaxLeaves.
struct LeafCount {
    std::size_t seen = 0;
};

// False when the push has more leaves than any real one.
bool add_leaf(Message& message, LeafCount& count, std::string name, std::string value) {
    if (++count.seen > kMaxLeaves) {
        return false;
    }
    if (name == "PicMd5Sum") {
        message.pic_md5_sums.push_back(value);
    }
    message.fields.add(std::move(name), std::move(value));
    return true;
}

//------------------------------------------------------------------------------------------
// Typed members, filled from Message::fields

// The typed members a leaf fills, by leaf name: text, or a number. Listed by name, searched
// in the order of kLeafTargetsByLength, so that finish() looks up each of a message's few
// leaves rather than every name for each message.
struct LeafTarget {
    std::string_view name;
    std::string Message::*text = nullptr;
    std::optional<double> Message::*number = nullptr;
};

constexpr LeafTarget kLeafTargets[] = {
    {"AppId", &Message::app_id},
    {"Content", &Message::content},
    {"Description", &Message::description},
    {"Event", &Message::event},
    {"EventKey", &Message::event_key},
    {"Format", &Message::format},
    {"FromUserName", &Message::from_user},
    {"Idx", &Message::idx},
    {"Label", &Message::label},
    {"Latitude", nullptr, &Message::latitude},
    {"Location_X", nullptr, &Message::location_x},
    {"Location_Y", nullptr, &Message::location_y},
    {"Longitude", nullptr, &Message::longitude},
    {"MediaId", &Message::media_id},
    {"MenuId", &Message::menu_id},
    {"MsgDataId", &Message::msg_data_id},
    {"MsgType", &Message::msg_type},
    {"PagePath", &Message::page_path},
    {"PicUrl", &Message::pic_url},
    {"Poiname", &Message::poiname},
    {"Precision", nullptr, &Message::precision},
    {"Recognition", &Message::recognition},
    {"Scale", nullptr, &Message::scale},
    {"ScanResult", &Message::scan_result},
    {"ScanType", &Message::scan_type},
    {"SessionFrom", &Message::session_from},
    {"Status", &Message::status},
    {"ThumbMediaId", &Message::thumb_media_id},
    {"ThumbUrl", &Message::thumb_url},
    {"Ticket", &Message::ticket},
    {"Title", &Message::title},
    {"ToUserName", &Message::to_user},
    {"Url", &Message::url},
};
static_assert(std::ranges::is_sorted(kLeafTargets, {}, &LeafTarget::name));

// Shorter names first, then by name: most steps of a search end on the lengths, without
// comparing any characters.
constexpr bool shorter_first(std::string_view a, std::string_view b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
}

constexpr auto kLeafTargetsByLength = [] {
    auto targets = std::to_array(kLeafTargets);
    std::ranges::sort(targets, shorter_first, &LeafTarget::name);
    return targets;
}();

LeafTarget const* leaf_target(std::string_view name) {
    auto const it = std::ranges::lower_bound(kLeafTargetsByLength, name, shorter_first, &LeafTarget::name);
    return it != kLeafTargetsByLength.end() && it->name == name ? &*it : nullptr;
}

// Whole-string parse of a number, surrounding whitespace allowed.
template <class Number>
std::optional<Number> parse_number(std::string_view text) {
    text = trim_space(text);
    Number value{};
    auto const [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

// Fills the typed members and checks the header. Malformed optional numbers stay nullopt
// (their raw text is still in `fields`); a malformed CreateTime is an error because dedupe
// keys of events depend on it.
error_code finish(Message& m) {
    for (auto const& [name, value] : m.fields) {
        if (auto const* target = leaf_target(name)) {
            if (target->text != nullptr) {
                m.*target->text = value;
            } else {
                m.*target->number = parse_number<double>(value);
            }
        }
    }
    if (auto const* id = m.fields.find("MsgId")) {
        m.msg_id = *id;
    } else if (auto const* id_upper = m.fields.find("MsgID")) {
        m.msg_id = *id_upper;
    }
    if (auto const* count = m.fields.find("Count")) {
        m.pic_count = parse_number<int>(*count).value_or(0);
    }
    if (m.to_user.empty() || m.from_user.empty() || m.msg_type.empty() || (m.msg_type == "event" && m.event.empty())) {
        return crypto_errc::missing_field;
    }
    if (auto const* create_time = m.fields.find("CreateTime")) {
        auto const parsed = parse_number<std::int64_t>(*create_time);
        if (!parsed) {
            return crypto_errc::missing_field;
        }
        m.create_time = *parsed;
    }
    std::string_view constexpr kQrScenePrefix = "qrscene_";
    if (m.event == "subscribe" && m.event_key.starts_with(kQrScenePrefix)) {
        m.scene = m.event_key.substr(kQrScenePrefix.size());
    } else if (m.event == "SCAN") {
        m.scene = m.event_key;
    }
    return {};
}

//------------------------------------------------------------------------------------------
// XML

// Joins every text and CDATA child: a "]]>" in user text arrives as two CDATA sections.
std::string node_text(pugi::xml_node node) {
    std::string text;
    for (auto child : node.children()) {
        if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
            text += child.value();
        }
    }
    return text;
}

bool has_element_child(pugi::xml_node node) {
    return std::any_of(node.begin(), node.end(),
                       [](pugi::xml_node child) { return child.type() == pugi::node_element; });
}

// Safety checks on the raw bytes, then a parse that must yield exactly one <xml> root.
// pugixml ignores a DOCTYPE rather than expanding it, but a body that has one is not from
// WeChat; the raw-text search also catches one hidden anywhere (at the price of rejecting a
// user's text that literally contains "<!DOCTYPE").
error_code load_xml(std::string_view raw, unsigned options, pugi::xml_document& doc, pugi::xml_node& root) {
    if (!is_valid_utf8(raw) || raw.find('\0') != std::string_view::npos || has_declaration(raw)) {
        return crypto_errc::xml_parse;
    }
    auto const body = trim_space(raw);
    if (body.empty() || body.back() != '>') {
        return crypto_errc::xml_parse;  // pugixml silently drops text after the root
    }
    if (!doc.load_buffer(raw.data(), raw.size(), options, pugi::encoding_utf8)) {
        return crypto_errc::xml_parse;
    }
    auto const elements =
        std::count_if(doc.begin(), doc.end(), [](pugi::xml_node node) { return node.type() == pugi::node_element; });
    root = doc.document_element();
    if (elements != 1 || std::string_view(root.name()) != "xml") {
        return crypto_errc::xml_parse;
    }
    return {};
}

bool collect_xml(pugi::xml_node node, int depth, Message& m, LeafCount& leaves, bool lists) {
    if (depth > kMaxDepth) {
        return false;
    }
    for (auto child : node.children()) {
        if (child.type() != pugi::node_element) {
            continue;
        }
        std::string name = child.name();
        if (lists && name == "List") {
            SubscribeMsgStatus entry;
            for (auto leaf : child.children()) {
                set_subscription_field(entry, leaf.name(), node_text(leaf));
            }
            m.subscriptions.push_back(std::move(entry));
        } else if (!has_element_child(child)) {
            if (!add_leaf(m, leaves, std::move(name), node_text(child))) {
                return false;
            }
        } else if (!collect_xml(child, depth + 1, m, leaves, lists)) {
            return false;
        }
    }
    return true;
}

//------------------------------------------------------------------------------------------
// JSON

// Iterative: nesting depth cannot exhaust the stack while parsing.
constexpr unsigned kJsonFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;

// With `numbers_as_strings`, numbers come back as strings of their exact digits, so 64-bit
// ids never pass through a double and "CreateTime":1 reads like "CreateTime":"1".
error_code load_json(std::string_view raw, rapidjson::Document& doc, bool numbers_as_strings) {
    if (!is_valid_utf8(raw)) {
        return crypto_errc::json_parse;
    }
    if (numbers_as_strings) {
        doc.Parse<kJsonFlags | rapidjson::kParseNumbersAsStringsFlag>(raw.data(), raw.size());
    } else {
        doc.Parse<kJsonFlags>(raw.data(), raw.size());
    }
    if (doc.HasParseError() || !doc.IsObject()) {
        return crypto_errc::json_parse;
    }
    return {};
}

std::optional<std::string> json_scalar(rapidjson::Value const& value) {
    if (value.IsString()) {
        return std::string(value.GetString(), value.GetStringLength());
    }
    if (value.IsBool()) {
        return std::string(value.GetBool() ? "true" : "false");
    }
    if (value.IsNull()) {
        return std::string();
    }
    return std::nullopt;  // object or array
}

std::string json_member(rapidjson::Value const& object, char const* name) {
    auto const it = object.FindMember(name);
    if (it == object.MemberEnd() || !it->value.IsString()) {
        return {};
    }
    return std::string(it->value.GetString(), it->value.GetStringLength());
}

void add_json_subscription(rapidjson::Value const& entry, Message& m) {
    if (!entry.IsObject()) {
        return;
    }
    SubscribeMsgStatus status;
    for (auto it = entry.MemberBegin(); it != entry.MemberEnd(); ++it) {
        if (auto value = json_scalar(it->value)) {
            set_subscription_field(status, {it->name.GetString(), it->name.GetStringLength()}, std::move(*value));
        }
    }
    m.subscriptions.push_back(std::move(status));
}

// Walks any JSON value; `name` is the member it came from ("" for the root).
bool collect_json(std::string const& name, rapidjson::Value const& value, int depth, Message& m, LeafCount& leaves,
                  bool lists) {
    if (depth > kMaxDepth) {
        return false;
    }
    if (auto scalar = json_scalar(value)) {
        return add_leaf(m, leaves, name, std::move(*scalar));
    } else if (lists && name == "List") {
        // MP JSON sends one template as an object and several as an array (protocol 2.2).
        if (value.IsObject()) {
            add_json_subscription(value, m);
        } else {
            for (auto const& entry : value.GetArray()) {
                add_json_subscription(entry, m);
            }
        }
    } else if (value.IsArray()) {
        for (auto const& element : value.GetArray()) {
            if (!collect_json(name, element, depth + 1, m, leaves, lists)) {
                return false;
            }
        }
    } else {
        for (auto it = value.MemberBegin(); it != value.MemberEnd(); ++it) {
            std::string const member(it->name.GetString(), it->name.GetStringLength());
            if (!collect_json(member, it->value, depth + 1, m, leaves, lists)) {
                return false;
            }
        }
    }
    return true;
}

}  // namespace

//------------------------------------------------------------------------------------------
// Public API

void LeafFields::add(std::string name, std::string text) {
    if (entries_.empty()) {
        entries_.reserve(8);  // a text message has six leaves, most events fewer than eight
    }
    if (find(name) == nullptr) {
        entries_.emplace_back(std::move(name), std::move(text));
    }
}

std::string const* LeafFields::find(std::string_view name) const {
    for (auto const& [leaf, text] : entries_) {
        if (leaf == name) {
            return &text;
        }
    }
    return nullptr;
}

std::string const& LeafFields::at(std::string_view name) const {
    if (auto const* value = find(name)) {
        return *value;
    }
    throw std::out_of_range("no leaf " + std::string(name));
}

result<Message> parse_message_xml(std::string_view xml) {
    pugi::xml_document doc;
    pugi::xml_node root;
    if (auto const ec = load_xml(xml, pugi::parse_default, doc, root)) {
        return ec;
    }
    Message message;
    // Lists are found by Event name, under any wrapper: an official sample used the popup
    // wrapper for a change event (protocol 2.2).
    bool const lists = is_subscribe_msg_event(node_text(root.child("Event")));
    LeafCount leaves;
    if (!collect_xml(root, 1, message, leaves, lists)) {
        return crypto_errc::xml_parse;
    }
    if (auto const ec = finish(message)) {
        return ec;
    }
    return message;
}

result<Message> parse_message_json(std::string_view json) {
    rapidjson::Document doc;
    if (auto const ec = load_json(json, doc, true)) {
        return ec;
    }
    Message message;
    bool const lists = is_subscribe_msg_event(json_member(doc, "Event"));
    LeafCount leaves;
    if (!collect_json("", doc, 0, message, leaves, lists)) {
        return crypto_errc::json_parse;
    }
    if (auto const ec = finish(message)) {
        return ec;
    }
    return message;
}

result<EncryptedEnvelope> parse_envelope_xml(std::string_view xml) {
    pugi::xml_document doc;
    pugi::xml_node root;
    // No parse_eol: Encrypt must reach the signature check byte for byte.
    if (auto const ec = load_xml(xml, pugi::parse_default & ~pugi::parse_eol, doc, root)) {
        return ec;
    }
    EncryptedEnvelope envelope{node_text(root.child("ToUserName")), node_text(root.child("Encrypt"))};
    if (envelope.encrypt.empty()) {
        return crypto_errc::missing_field;
    }
    return envelope;
}

result<EncryptedEnvelope> parse_envelope_json(std::string_view json) {
    rapidjson::Document doc;
    if (auto const ec = load_json(json, doc, false)) {
        return ec;
    }
    EncryptedEnvelope envelope{json_member(doc, "ToUserName"), json_member(doc, "Encrypt")};
    if (envelope.encrypt.empty()) {
        return crypto_errc::missing_field;
    }
    return envelope;
}

std::string dedupe_key(Message const& message) {
    if (!message.msg_id.empty()) {
        return "msg:" + message.msg_id;
    }
    return "evt:" + message.from_user + ":" + std::to_string(message.create_time) + ":" + message.event;
}

}  // namespace bense::wechat
