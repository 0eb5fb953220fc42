{
  # Compile-once XSD validation addon (C, Node-API only). libxml2 is compiled from the sources that
  # libxmljs2 vendors (pinned dependency); the list, include dirs and defines follow libxmljs2's
  # own binding.gyp, without its C++ binding (src/*.cc). parser.c is compiled from
  # native/patched/, which native/build.mjs writes from the vendored file and native/libxml-patch.mjs
  # (one performance patch, ADR 0017).
  "variables": {
    "libxml_dir": "<!(node -p \"require('path').relative('.', require('path').join(require('path').dirname(require.resolve('libxmljs2/package.json')), 'vendor', 'libxml'))\")"
  },
  "targets": [
    {
      "target_name": "samhandling_xml",
      "product_extension": "node",
      "type": "shared_library",
      "include_dirs": ["<(libxml_dir)/include", "<(libxml_dir)"],
      "defines": ["LIBXML_XINCLUDE_ENABLED", "LIBXML_SCHEMATRON_ENABLED", "BUILDING_NODE_EXTENSION", "NAPI_DISABLE_CPP_EXCEPTIONS"],
      "cflags": ["-fvisibility=hidden", "-w"],
      "cflags!": ["-Wall", "-Wextra"],
      "ldflags": ["-Wl,--exclude-libs,ALL"],
      "xcode_settings": {
        "GCC_SYMBOLS_PRIVATE_EXTERN": "YES",
        "OTHER_CFLAGS": ["-w"],
        "OTHER_LDFLAGS": ["-undefined dynamic_lookup"]
      },
      "win_delay_load_hook": "true",
      "sources": [
        "native/samhandling_xml.c",
        "<(libxml_dir)/buf.c",
        "<(libxml_dir)/catalog.c",
        "<(libxml_dir)/chvalid.c",
        "<(libxml_dir)/dict.c",
        "<(libxml_dir)/encoding.c",
        "<(libxml_dir)/entities.c",
        "<(libxml_dir)/error.c",
        "<(libxml_dir)/globals.c",
        "<(libxml_dir)/hash.c",
        "<(libxml_dir)/HTMLparser.c",
        "<(libxml_dir)/HTMLtree.c",
        "<(libxml_dir)/legacy.c",
        "<(libxml_dir)/list.c",
        "native/patched/parser.c",
        "<(libxml_dir)/parserInternals.c",
        "<(libxml_dir)/pattern.c",
        "<(libxml_dir)/relaxng.c",
        "<(libxml_dir)/schematron.c",
        "<(libxml_dir)/SAX2.c",
        "<(libxml_dir)/SAX.c",
        "<(libxml_dir)/tree.c",
        "<(libxml_dir)/threads.c",
        "<(libxml_dir)/uri.c",
        "<(libxml_dir)/valid.c",
        "<(libxml_dir)/xinclude.c",
        "<(libxml_dir)/xlink.c",
        "<(libxml_dir)/xmlIO.c",
        "<(libxml_dir)/xmlmemory.c",
        "<(libxml_dir)/xmlmodule.c",
        "<(libxml_dir)/xmlreader.c",
        "<(libxml_dir)/xmlregexp.c",
        "<(libxml_dir)/xmlsave.c",
        "<(libxml_dir)/xmlschemas.c",
        "<(libxml_dir)/xmlschemastypes.c",
        "<(libxml_dir)/xmlstring.c",
        "<(libxml_dir)/xmlunicode.c",
        "<(libxml_dir)/xmlwriter.c",
        "<(libxml_dir)/xpath.c",
        "<(libxml_dir)/xpointer.c"
      ]
    }
  ]
}
