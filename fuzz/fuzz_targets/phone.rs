#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| mtp_web::fuzz::phone(data));
