namespace Brightline.Loans;

/// <summary>
/// The kiosk's one script (served from <c>/loans/kiosk.js</c>: the portal allows scripts from itself only): where the
/// browser has a BarcodeDetector, a "scan" button reads the tag's QR or barcode from the camera and submits it.
/// Typed entry always works without it.
/// </summary>
public static class KioskScript
{
    public const string Path = "/loans/kiosk.js";

    public const string Text = """
        (function () {
          'use strict';
          var button = document.getElementById('scan');
          var video = document.getElementById('scan-video');
          var input = document.getElementById('Tag');
          if (!button || !video || !input || !('BarcodeDetector' in window) || !navigator.mediaDevices) { return; }
          button.hidden = false;
          button.addEventListener('click', function () {
            var detector = new window.BarcodeDetector();
            navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } }).then(function (stream) {
              video.srcObject = stream;
              video.hidden = false;
              video.play();
              var stop = function () { stream.getTracks().forEach(function (t) { t.stop(); }); video.hidden = true; };
              var look = function () {
                detector.detect(video).then(function (codes) {
                  if (codes.length > 0 && codes[0].rawValue) {
                    stop();
                    input.value = codes[0].rawValue.trim();
                    input.form.submit();
                  } else {
                    window.requestAnimationFrame(look);
                  }
                }, function () { window.requestAnimationFrame(look); });
              };
              look();
            }, function () {
              button.hidden = true;
              input.focus();
            });
          });
        })();
        """;
}
