// Certificate generation with OpenSSL 3. Every object is owned by a unique_ptr with its
// free function, so every early return cleans up.
#include "server/tls_cert.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace bense::server {
namespace {

template <class T, void (*Free)(T*)>
struct Deleter {
    void operator()(T* p) const { Free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;

std::string bio_text(BIO* bio) {
    char* data = nullptr;
    long const len = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<std::size_t>(len));
}

bool add_ext(X509* cert, int nid, char const* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    ExtPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
    return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

// SelfSignedCert can be built from a string too, so the error side is named explicitly.
result<SelfSignedCert, std::string> fail(char const* reason) {
    return {boost::system::in_place_error, reason};
}

}  // namespace

result<SelfSignedCert, std::string> make_self_signed_cert(std::string const& common_name) {
    PkeyPtr key(EVP_EC_gen("P-256"));
    X509Ptr cert(X509_new());
    if (!key || !cert) {
        return fail("cannot allocate a key or certificate");
    }
    unsigned char serial[8];
    RAND_bytes(serial, sizeof serial);
    serial[0] &= 0x7f;  // a positive serial number
    BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
    bool ok = bn != nullptr && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get())) != nullptr;
    BN_free(bn);
    ok = ok && X509_set_version(cert.get(), 2) == 1;
    ok = ok && X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60) != nullptr;
    ok = ok && X509_gmtime_adj(X509_getm_notAfter(cert.get()), 30L * 24 * 3600) != nullptr;
    X509_NAME* name = X509_get_subject_name(cert.get());
    ok = ok && X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                          reinterpret_cast<unsigned char const*>(common_name.c_str()),
                                          -1, -1, 0) == 1;
    ok = ok && X509_set_issuer_name(cert.get(), name) == 1;
    ok = ok && X509_set_pubkey(cert.get(), key.get()) == 1;
    ok = ok && add_ext(cert.get(), NID_basic_constraints, "critical,CA:TRUE");
    ok = ok && add_ext(cert.get(), NID_key_usage, "critical,digitalSignature,keyCertSign");
    ok = ok && add_ext(cert.get(), NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost");
    ok = ok && X509_sign(cert.get(), key.get(), EVP_sha256()) > 0;
    if (!ok) {
        return fail("cannot build the self-signed certificate");
    }
    BioPtr cert_bio(BIO_new(BIO_s_mem()));
    BioPtr key_bio(BIO_new(BIO_s_mem()));
    if (!cert_bio || !key_bio || PEM_write_bio_X509(cert_bio.get(), cert.get()) != 1 ||
        PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
        return fail("cannot write the certificate as PEM");
    }
    return SelfSignedCert{bio_text(cert_bio.get()), bio_text(key_bio.get())};
}

}  // namespace bense::server
