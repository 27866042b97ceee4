// Inbound WeChat pushes (wechat-protocol.md 2 and 2.3) as one flat value type, parsed from
// XML (OA and MP) or JSON (MP JSON mode), plus the safe-mode envelope. Pure parsing: no I/O,
// no DTDs, no entity expansion, ids kept as opaque strings (never doubles).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wechat/crypto_error.hpp"

namespace bense::wechat {

// One <List> entry of subscribe_msg_popup_event / _change_event / _sent_event. Raw text.
struct SubscribeMsgStatus {
    std::string template_id;   // TemplateId
    std::string status;        // SubscribeStatusString: "accept" or "reject" (popup, change)
    std::string popup_scene;   // PopupScene: "1" H5 page, "2" article, "0" seen in MP (popup)
    std::string msg_id;        // MsgID, 64-bit (sent)
    std::string error_code;    // ErrorCode: "0" means delivered (sent)
    std::string error_status;  // ErrorStatus: "success" or a reason (sent)
};

// The most leaves a push may have (XML elements without element children, JSON scalars),
// repeats included; the parsers refuse a body with more. The largest WeChat pushes, a mass
// send's report with its copyright check of eight articles, have under a hundred.
inline constexpr std::size_t kMaxLeaves = 256;

// Leaf name -> raw text, in the order of the document, the first occurrence of a name kept.
// With at most kMaxLeaves of them, a flat vector searched in order, instead of a tree node
// allocated for each leaf.
class LeafFields {
public:
    using Entry = std::pair<std::string, std::string>;

    // Adds a leaf, unless one of that name is there already.
    void add(std::string name, std::string text);

    // The text of `name`, or nullptr when the push has no such leaf.
    std::string const* find(std::string_view name) const;
    // As find(), throwing std::out_of_range when absent.
    std::string const& at(std::string_view name) const;
    std::size_t count(std::string_view name) const { return find(name) == nullptr ? 0 : 1; }

    std::size_t size() const { return entries_.size(); }
    bool empty() const { return entries_.empty(); }
    auto begin() const { return entries_.begin(); }
    auto end() const { return entries_.end(); }

private:
    std::vector<Entry> entries_;
};

// Every inbound message and event. Fields a push does not carry stay empty / nullopt.
struct Message {
    // Common header. msg_id is read from MsgId or MsgID (WeChat spells it both ways).
    std::string to_user;    // ToUserName: our gh_ id
    std::string from_user;  // FromUserName: the user's openid
    std::int64_t create_time = 0;
    std::string msg_type;  // MsgType: text, image, voice, ..., event
    std::string event;     // Event, when msg_type == "event"
    std::string msg_id;
    // Not parsed: the endpoint it came in on ("oa" or "mp"), set by the gateway, since each
    // app has its own openids.
    std::string endpoint;

    // Ordinary messages.
    std::string content;               // text
    std::string msg_data_id;           // MsgDataId (message from an article)
    std::string idx;                   // Idx (1-based article index)
    std::string pic_url;               // image: PicUrl
    std::string media_id;              // image, voice, video, shortvideo
    std::string format;                // voice: amr, speex...
    std::string recognition;           // voice: speech-to-text, often empty
    std::string thumb_media_id;        // video, shortvideo, miniprogrampage
    std::optional<double> location_x;  // location message, location_select: latitude
    std::optional<double> location_y;  // longitude
    std::optional<double> scale;
    std::string label;
    std::string title;        // link, miniprogrampage
    std::string description;  // link
    std::string url;          // link

    // Mini-program customer-service pushes.
    std::string app_id;        // miniprogrampage: AppId
    std::string page_path;     // miniprogrampage: PagePath
    std::string thumb_url;     // miniprogrampage: ThumbUrl
    std::string session_from;  // user_enter_tempsession: SessionFrom

    // Events.
    std::string event_key;                          // EventKey, raw
    std::string scene;                              // subscribe: EventKey without "qrscene_"; SCAN: EventKey
    std::string ticket;                             // subscribe via QR code, SCAN
    std::optional<double> latitude;                 // LOCATION
    std::optional<double> longitude;                // LOCATION
    std::optional<double> precision;                // LOCATION
    std::string menu_id;                            // VIEW, view_miniprogram
    std::string scan_type;                          // scancode_*: ScanCodeInfo/ScanType
    std::string scan_result;                        // scancode_*: ScanCodeInfo/ScanResult
    int pic_count = 0;                              // pic_*: SendPicsInfo/Count
    std::vector<std::string> pic_md5_sums;          // pic_*: PicList/item/PicMd5Sum, in order
    std::string poiname;                            // location_select: SendLocationInfo/Poiname
    std::string status;                             // TEMPLATESENDJOBFINISH, MASSSENDJOBFINISH: Status
    std::vector<SubscribeMsgStatus> subscriptions;  // subscribe_msg_*_event: every List

    // Every leaf element (XML) or scalar member (JSON) by name, at any depth, first occurrence
    // wins; List entries of subscribe_msg_* events are only in `subscriptions`. Values are
    // the raw text (JSON numbers keep their exact digits). MASSSENDJOBFINISH counts live here.
    LeafFields fields;
};

// The safe-mode body: ToUserName (may be empty) and Encrypt, exactly as sent (no trimming,
// no decoding), because msg_signature is computed over that text.
struct EncryptedEnvelope {
    std::string to_user;
    std::string encrypt;
};

// Parses an XML push with pugixml. Errors:
// - xml_parse: invalid UTF-8, a NUL byte, any "<!DOCTYPE" or "<!ENTITY" (checked on the raw
//   text, case-insensitively, before parsing), not well-formed or truncated, text after the
//   root, a root other than a single <xml>, nesting deeper than 16, more than kMaxLeaves leaves;
// - missing_field: ToUserName, FromUserName or MsgType absent or empty, Event absent when
//   MsgType is "event", or CreateTime present but not an integer (absent gives 0).
// Values may be CDATA (split CDATA sections are joined) or plain text.
result<Message> parse_message_xml(std::string_view xml);

// Parses an MP JSON push (RapidJSON). Numbers may arrive as numbers or strings and are kept
// as their exact text; "List" may be an object or an array. Errors: json_parse (invalid
// UTF-8, not JSON, root not an object, nesting deeper than 16, more than kMaxLeaves scalars),
// else as parse_message_xml.
result<Message> parse_message_json(std::string_view json);

// Extract the envelope from a safe- or compatible-mode body. Same safety checks as the
// message parsers; missing_field when Encrypt is absent, empty or not a string.
result<EncryptedEnvelope> parse_envelope_xml(std::string_view xml);
result<EncryptedEnvelope> parse_envelope_json(std::string_view json);

// Key for deduplicating WeChat's retries: "msg:" + msg_id when the push carries a MsgId /
// MsgID (including TEMPLATESENDJOBFINISH and MASSSENDJOBFINISH), else
// "evt:" + from_user + ":" + create_time + ":" + event.
std::string dedupe_key(Message const& message);

}  // namespace bense::wechat
